using Rx.Ssh.Sftp.Scp.Protocol;
using Rx.Ssh.Sftp.Scp.Server;

namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// The server side of SCP's classic rcp protocol: the <c>scp -t</c> (the client uploads) and
/// <c>scp -f</c> (the client downloads) exec commands, with <c>-r</c>, <c>-p</c>, <c>-d</c> and
/// <c>-v</c>, answered over an <see cref="SftpFileSystem"/>, the same layer (root, path
/// mapping, overridable operations) the SFTP server uses. OpenSSH's <c>scp -O</c> uses this;
/// its default SFTP mode uses <see cref="SftpSubsystem"/>. Route exec commands to it from a
/// process handler:
/// <code>
/// ProcessHandler = process => ScpServer.IsScpCommand(process.Command)
///     ? ScpServer.RunAsync(process, new LocalFileSystem(root))
///     : RunShellAsync(process),
/// </code>
/// Control lines are checked strictly (four-digit octal mode, decimal size, a name that is one
/// path component: no <c>/</c>, not <c>..</c>; at most 4096 bytes); a problem with one file
/// goes back as a warning line (<c>\x01scp: PATH: MESSAGE</c>) and the copy goes on, a protocol
/// violation as a fatal line (<c>\x02scp: MESSAGE</c>) that ends it. Wildcards in <c>-f</c> paths
/// that are not quoted are expanded against the file system as a shell would.
/// </summary>
public static class ScpServer
{
    /// <summary>Whether <paramref name="command"/> is an scp command (its first word is <c>scp</c>).</summary>
    /// <param name="command">An exec request's command; null for a shell.</param>
    /// <returns>True to hand the session to <see cref="RunAsync(SshServerProcess, SftpFileSystem, CancellationToken)"/>.</returns>
    public static bool IsScpCommand(string? command) => ScpCommand.IsScp(command);

    /// <summary>
    /// Serves one scp session: parses the process's command, copies over its stdin/stdout, sets
    /// <see cref="SshServerProcess.ExitStatus"/> (0 when every file was copied, 1 otherwise) and
    /// disposes <paramref name="fileSystem"/>. A malformed command is answered with a fatal line and status 1.
    /// </summary>
    /// <param name="process">The exec session.</param>
    /// <param name="fileSystem">The file system to serve (disposed at the end).</param>
    /// <param name="cancellationToken">Stops the copy; the session's <see cref="SshServerProcess.Closed"/> also does.</param>
    /// <returns>The exit status.</returns>
    public static async Task<int> RunAsync(SshServerProcess process, SftpFileSystem fileSystem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(fileSystem);
        await using (fileSystem.ConfigureAwait(false))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, process.Closed);
            int status = await RunAsync(process.Command ?? string.Empty, fileSystem, process.Stdin.ReadAsync, process.Stdout.WriteAsync, linked.Token).ConfigureAwait(false);
            process.ExitStatus = status;
            return status;
        }
    }

    /// <summary>A process handler that serves scp commands over the file system <paramref name="fileSystemFactory"/> makes per session, and hands every other session to <paramref name="otherwise"/> (or refuses it with exit status 1).</summary>
    /// <param name="fileSystemFactory">Makes the file system of one session.</param>
    /// <param name="otherwise">The handler for sessions that are not scp; null refuses them.</param>
    /// <returns>The handler for <see cref="SshServerOptions.ProcessHandler"/>.</returns>
    public static Func<SshServerProcess, Task> CreateProcessHandler(Func<SshServerProcess, SftpFileSystem> fileSystemFactory, Func<SshServerProcess, Task>? otherwise = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystemFactory);
        return async process =>
        {
            ArgumentNullException.ThrowIfNull(process);
            if (IsScpCommand(process.Command))
            {
                await RunAsync(process, fileSystemFactory(process)).ConfigureAwait(false);
            }
            else if (otherwise is not null)
            {
                await otherwise(process).ConfigureAwait(false);
            }
            else
            {
                await process.Stderr.WriteLineAsync("Only scp commands are served here.").ConfigureAwait(false);
                process.ExitStatus = 1;
            }
        };
    }

    // The stream-level run (tests drive it without a channel).
    internal static async Task<int> RunAsync(
        string command,
        SftpFileSystem fileSystem,
        Func<Memory<byte>, CancellationToken, ValueTask<int>> read,
        Func<ReadOnlyMemory<byte>, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        ScpCommand parsed;
        try
        {
            parsed = ScpCommand.Parse(command);
        }
        catch (ScpProtocolException ex)
        {
            await write(System.Text.Encoding.UTF8.GetBytes("\x02scp: " + ex.Message + "\n"), cancellationToken).ConfigureAwait(false);
            return 1;
        }

        return await new ScpServerSession(parsed, fileSystem, read, write).RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
