namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// PuTTY's <c>plink</c> pointed at 127.0.0.1: runs one command with a .ppk user key made by puttygen,
/// in batch mode (it never prompts) with the host key pinned by <c>-hostkey</c> (any other key fails
/// the run). Each run gets its own HOME, so nothing is read from or saved to the user's PuTTY settings.
/// </summary>
public sealed record PlinkClient
{
    /// <summary>The server's port.</summary>
    public required int Port { get; init; }

    /// <summary>The login user.</summary>
    public required string User { get; init; }

    /// <summary>The user key as a .ppk file (<see cref="InteropTools.PuttyKeyAsync"/>).</summary>
    public required string PpkFile { get; init; }

    /// <summary>The server's host key fingerprints (<c>SHA256:...</c>): the only host keys accepted.</summary>
    public required IReadOnlyList<string> HostKeyFingerprints { get; init; }

    /// <summary>Runs <paramref name="command"/> on the server with <paramref name="stdin"/> as its input.</summary>
    /// <param name="command">The remote command.</param>
    /// <param name="stdin">Bytes for the command's stdin, then EOF; none when null.</param>
    public async Task<ProcessResult> RunAsync(string command, byte[]? stdin = null)
    {
        InteropTools.RequirePutty();
        string home = Directory.CreateTempSubdirectory("rxssh-plink-").FullName;
        try
        {
            string[] arguments =
            [
                "-ssh", "-batch", "-noagent", "-P", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", User, "-i", PpkFile,
                .. HostKeyFingerprints.SelectMany(f => new[] { "-hostkey", f }), "127.0.0.1", command,
            ];
            System.Diagnostics.ProcessStartInfo start = ProcessRunner.CreateStartInfo(InteropTools.Plink, arguments, [new("HOME", home)]);
            using var input = new MemoryStream(stdin ?? [], writable: false);
            return await ProcessRunner.RunAsync(start, input, null, TestTimeout.Long);
        }
        finally
        {
            KeyCache.TryDelete(home);
        }
    }
}
