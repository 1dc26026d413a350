using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Transfers and connection setup through OpenSSH's <c>ssh</c> client against a server under test.
/// Key exchange is pinned to curve25519-sha256 on both sides (OpenSSH would
/// otherwise pick the slower sntrup761x25519-sha512).
/// </summary>
internal sealed class OpenSshRunner(IServerUnderTest server)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary><c>head -c N /dev/zero | ssh host 'cat &gt; /dev/null'</c>.</summary>
    public Task UploadAsync(string cipher, long bytes) =>
        ShellAsync($"head -c {bytes} /dev/zero | {Ssh(cipher)} 'cat > /dev/null'", TransferTimeout(bytes));

    /// <summary><c>ssh host 'head -c N /dev/zero' &gt; /dev/null</c>.</summary>
    public Task DownloadAsync(string cipher, long bytes) =>
        ShellAsync($"{Ssh(cipher)} 'head -c {bytes} /dev/zero' > /dev/null", TransferTimeout(bytes));

    /// <summary>
    /// Checks that the server really moves the bytes: uploads through <c>wc -c</c> on the server and
    /// counts a download through <c>wc -c</c> here; both must report <paramref name="bytes"/>.
    /// </summary>
    public async Task VerifyTransfersAsync(string cipher, long bytes)
    {
        string up = await ShellAsync($"head -c {bytes} /dev/zero | {Ssh(cipher)} 'wc -c'", TransferTimeout(bytes));
        string down = await ShellAsync($"{Ssh(cipher)} 'head -c {bytes} /dev/zero' | wc -c", TransferTimeout(bytes));
        string expected = bytes.ToString(CultureInfo.InvariantCulture);
        if (up.Trim() != expected || down.Trim() != expected)
        {
            throw new InvalidOperationException($"{server.Name}: expected {expected} bytes each way, the upload counted '{up.Trim()}', the download '{down.Trim()}'");
        }
    }

    /// <summary>Connect, authenticate, run <c>true</c>, disconnect: <c>ssh</c> started directly, no shell.</summary>
    public Task ConnectRunCloseAsync(string cipher, string kex = CipherSpec.DefaultKex)
    {
        var psi = new ProcessStartInfo("ssh");
        foreach (string a in SshArguments(cipher, kex).Skip(1).Append("true"))
        {
            psi.ArgumentList.Add(a);
        }

        return RunAsync(psi, "ssh true", ConnectTimeout);
    }

    /// <summary>
    /// Starts <c>ssh -N -o ExitOnForwardFailure=yes OPTION SPEC</c> (<c>-L</c> or <c>-R</c>), running until disposed;
    /// ready once 127.0.0.1:<paramref name="probePort"/> (the forward's listening port, here or on the server) accepts.
    /// </summary>
    public Task<ServerProcess> StartForwardAsync(string cipher, string option, string spec, int probePort)
    {
        List<string> arguments = SshArguments(cipher).Skip(1).ToList();
        arguments.InsertRange(arguments.Count - 1, ["-N", "-o", "ExitOnForwardFailure=yes", option, spec]);
        var psi = new ProcessStartInfo("ssh");
        arguments.ForEach(psi.ArgumentList.Add);
        return ServerProcess.StartListeningAsync(psi, probePort, ConnectTimeout);
    }

    /// <summary><c>ssh</c> started directly (no shell) to run <paramref name="command"/>, with the pinned algorithms, keys and trust.</summary>
    public ProcessStartInfo SshStartInfo(string cipher, string command)
    {
        var psi = new ProcessStartInfo("ssh") { UseShellExecute = false };
        foreach (string a in SshArguments(cipher).Skip(1).Append(command))
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    /// <summary>A minute plus 5 MB/s: far beyond any healthy run, so that a stuck server ends the measurement instead of the benchmark.</summary>
    private static TimeSpan TransferTimeout(long bytes) => ConnectTimeout + TimeSpan.FromSeconds(bytes / 5e6);

    private string Ssh(string cipher) => string.Join(' ', SshArguments(cipher).Select(Quote));

    private IEnumerable<string> SshArguments(string cipherSpec, string kex = CipherSpec.DefaultKex)
    {
        (string cipher, string? mac) = CipherSpec.Split(cipherSpec);
        IEnumerable<string> macArguments = mac is null ? [] : ["-m", mac];
        return ["ssh", "-F", "none", "-c", cipher, .. macArguments, .. CommonArguments(kex)];
    }

    /// <summary>
    /// <c>sftp -b BATCH</c> with the same pinned algorithms, keys and trust as <c>ssh</c> (sftp takes the
    /// port as <c>-P</c> and the MAC as an option); its own defaults otherwise (32 KiB requests, 64 in flight).
    /// </summary>
    public IEnumerable<string> SftpArguments(string cipherSpec, string batchFile)
    {
        (string cipher, string? mac) = CipherSpec.Split(cipherSpec);
        IEnumerable<string> macArguments = mac is null ? [] : ["-o", $"MACs={mac}"];
        return ["-F", "none", "-b", batchFile, "-c", cipher, .. macArguments, .. CommonArguments(CipherSpec.DefaultKex, "-P")];
    }

    private IEnumerable<string> CommonArguments(string kex, string portOption = "-p") =>
    [
        "-o", $"KexAlgorithms={kex}", "-i", server.Keys.UserKey,
        "-o", $"UserKnownHostsFile={server.Keys.KnownHosts}", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes", portOption, server.Port.ToString(CultureInfo.InvariantCulture), $"{server.Keys.UserName}@127.0.0.1",
    ];

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Task<string> ShellAsync(string script, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("bash");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        return RunAsync(psi, script, timeout);
    }

    /// <summary>Runs to completion; returns stdout, throws with stderr on a non-zero exit or after <paramref name="timeout"/>.</summary>
    private static async Task<string> RunAsync(ProcessStartInfo psi, string what, TimeSpan timeout)
    {
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        try
        {
            await p.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true); // the bash/ssh/head this call started, by PID
            await p.WaitForExitAsync();
            throw new InvalidOperationException($"`{what}` did not finish within {timeout.TotalSeconds:F0} s");
        }

        string err = await stderr;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{what}` exited with {p.ExitCode}: {err}");
        }

        return await stdout;
    }
}
