using System.Diagnostics;

/// <summary>The same transfers and connection setup through OpenSSH's <c>ssh</c> client, for comparison.</summary>
internal sealed class OpenSshRunner(SshdServer server)
{
    private string SshCommand(string cipher) =>
        $"ssh -F none -c {cipher} -i '{server.UserKey}' -o UserKnownHostsFile='{server.KnownHosts}' -o StrictHostKeyChecking=yes " +
        $"-o BatchMode=yes -o IdentitiesOnly=yes -p {server.Port} {server.UserName}@127.0.0.1";

    public Task UploadAsync(string cipher, long bytes) =>
        ShellAsync($"head -c {bytes} /dev/zero | {SshCommand(cipher)} 'cat > /dev/null'");

    public Task DownloadAsync(string cipher, long bytes) =>
        ShellAsync($"{SshCommand(cipher)} 'head -c {bytes} /dev/zero' > /dev/null");

    /// <summary>Connect, authenticate, run <c>true</c>, disconnect: <c>ssh</c> started directly, no shell.</summary>
    public async Task ConnectRunCloseAsync(string cipher)
    {
        var psi = new ProcessStartInfo("ssh") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[]
        {
            "-F", "none", "-c", cipher, "-i", server.UserKey, "-o", $"UserKnownHostsFile={server.KnownHosts}", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-p", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{server.UserName}@127.0.0.1", "true",
        })
        {
            psi.ArgumentList.Add(a);
        }

        await RunAsync(psi, "ssh true");
    }

    private static async Task ShellAsync(string script)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        await RunAsync(psi, script);
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
