using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// OpenSSH's <c>sftp</c> (batch mode) and <c>scp</c> (SFTP mode, OpenSSH 9's default) with the
/// same options as an <see cref="OpenSshClient"/>: no config file, strict host keys, one key,
/// never a prompt, a deadline per run.
/// </summary>
internal static class OpenSshSftp
{
    /// <summary>Runs <c>sftp -b</c> with <paramref name="commands"/> (one per line; a leading <c>-</c> lets a command fail without ending the batch).</summary>
    public static async Task<ProcessResult> BatchAsync(OpenSshClient client, string commands, TimeSpan? timeout = null, params string[] extraArguments)
    {
        string batch = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(batch, commands);
            List<string> args = Arguments(client, out string destination);
            args.AddRange(extraArguments);
            args.AddRange(["-b", batch, destination]);
            return await ProcessRunner.RunAsync(
                ProcessRunner.CreateStartInfo("sftp", args, client.BuildEnvironment()), null, null, timeout ?? client.Timeout);
        }
        finally
        {
            File.Delete(batch);
        }
    }

    /// <summary>Runs <c>scp</c> with <paramref name="paths"/>, where <c>REMOTE:</c> stands for <c>user@host:</c>.</summary>
    public static Task<ProcessResult> ScpAsync(OpenSshClient client, TimeSpan? timeout, params string[] paths)
    {
        List<string> args = Arguments(client, out string destination);
        args.AddRange(paths.Select(p => p.StartsWith("REMOTE:", StringComparison.Ordinal) ? destination + ":" + p["REMOTE:".Length..] : p));
        return ProcessRunner.RunAsync(ProcessRunner.CreateStartInfo("scp", args, client.BuildEnvironment()), null, null, timeout ?? client.Timeout);
    }

    // ssh's argument list without its destination, with -p PORT as -P PORT (sftp's and scp's spelling).
    private static List<string> Arguments(OpenSshClient client, out string destination)
    {
        List<string> args = [.. client.BuildArguments(null)];
        destination = args[^1];
        args.RemoveAt(args.Count - 1);
        int port = args.LastIndexOf("-p");
        args[port] = "-P";
        return args;
    }
}
