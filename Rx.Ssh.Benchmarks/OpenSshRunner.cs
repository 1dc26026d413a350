using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The same transfers and connection setup through OpenSSH's <c>ssh</c> client, for comparison.
/// Key exchange is pinned to curve25519-sha256, the one Rx.Ssh negotiates (OpenSSH would
/// otherwise pick the slower sntrup761x25519-sha512).
/// </summary>
internal sealed class OpenSshRunner(SshdServer server)
{
    public Task UploadAsync(string cipher, long bytes) =>
        ShellAsync($"head -c {bytes} /dev/zero | {string.Join(' ', SshArguments(cipher).Select(Quote))} 'cat > /dev/null'");

    public Task DownloadAsync(string cipher, long bytes) =>
        ShellAsync($"{string.Join(' ', SshArguments(cipher).Select(Quote))} 'head -c {bytes} /dev/zero' > /dev/null");

    /// <summary>Connect, authenticate, run <c>true</c>, disconnect: <c>ssh</c> started directly, no shell.</summary>
    public Task ConnectRunCloseAsync(string cipher)
    {
        var psi = new ProcessStartInfo("ssh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in SshArguments(cipher).Skip(1).Append("true"))
        {
            psi.ArgumentList.Add(a);
        }

        return RunAsync(psi, "ssh true");
    }

    private IEnumerable<string> SshArguments(string cipher) =>
    [
        "ssh", "-F", "none", "-c", cipher, "-o", "KexAlgorithms=curve25519-sha256", "-i", server.UserKey,
        "-o", $"UserKnownHostsFile={server.KnownHosts}", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes", "-p", server.Port.ToString(CultureInfo.InvariantCulture), $"{server.UserName}@127.0.0.1",
    ];

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Task ShellAsync(string script)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        return RunAsync(psi, script);
    }

    private static async Task RunAsync(ProcessStartInfo psi, string what)
    {
        using Process p = Process.Start(psi)!;
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{what}` exited with {p.ExitCode}: {err}");
        }
    }
}
