using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Transfers and connection setup through OpenSSH's <c>ssh</c> client against a server under test.
/// Key exchange is pinned to curve25519-sha256, the one Rx.Ssh negotiates (OpenSSH would
/// otherwise pick the slower sntrup761x25519-sha512).
/// </summary>
internal sealed class OpenSshRunner(IServerUnderTest server)
{
    /// <summary><c>head -c N /dev/zero | ssh host 'cat &gt; /dev/null'</c>.</summary>
    public Task UploadAsync(string cipher, long bytes) =>
        ShellAsync($"head -c {bytes} /dev/zero | {Ssh(cipher)} 'cat > /dev/null'");

    /// <summary><c>ssh host 'head -c N /dev/zero' &gt; /dev/null</c>.</summary>
    public Task DownloadAsync(string cipher, long bytes) =>
        ShellAsync($"{Ssh(cipher)} 'head -c {bytes} /dev/zero' > /dev/null");

    /// <summary>
    /// Checks that the server really moves the bytes: uploads through <c>wc -c</c> on the server and
    /// counts a download through <c>wc -c</c> here; both must report <paramref name="bytes"/>.
    /// </summary>
    public async Task VerifyTransfersAsync(string cipher, long bytes)
    {
        string up = await ShellAsync($"head -c {bytes} /dev/zero | {Ssh(cipher)} 'wc -c'");
        string down = await ShellAsync($"{Ssh(cipher)} 'head -c {bytes} /dev/zero' | wc -c");
        string expected = bytes.ToString(CultureInfo.InvariantCulture);
        if (up.Trim() != expected || down.Trim() != expected)
        {
            throw new InvalidOperationException($"{server.Name}: expected {expected} bytes each way, the upload counted '{up.Trim()}', the download '{down.Trim()}'");
        }
    }

    /// <summary>Connect, authenticate, run <c>true</c>, disconnect: <c>ssh</c> started directly, no shell.</summary>
    public Task ConnectRunCloseAsync(string cipher)
    {
        var psi = new ProcessStartInfo("ssh");
        foreach (string a in SshArguments(cipher).Skip(1).Append("true"))
        {
            psi.ArgumentList.Add(a);
        }

        return RunAsync(psi, "ssh true");
    }

    private string Ssh(string cipher) => string.Join(' ', SshArguments(cipher).Select(Quote));

    private IEnumerable<string> SshArguments(string cipher) =>
    [
        "ssh", "-F", "none", "-c", cipher, "-o", "KexAlgorithms=curve25519-sha256", "-i", server.Keys.UserKey,
        "-o", $"UserKnownHostsFile={server.Keys.KnownHosts}", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes", "-p", server.Port.ToString(CultureInfo.InvariantCulture), $"{server.Keys.UserName}@127.0.0.1",
    ];

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Task<string> ShellAsync(string script)
    {
        var psi = new ProcessStartInfo("bash");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        return RunAsync(psi, script);
    }

    /// <summary>Runs to completion; returns stdout, throws with stderr on a non-zero exit.</summary>
    private static async Task<string> RunAsync(ProcessStartInfo psi, string what)
    {
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{what}` exited with {p.ExitCode}: {err}");
        }

        return await stdout;
    }
}
