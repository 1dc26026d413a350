using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Sftp.Server.Sessions;

namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// The SFTP server as an SSH subsystem: register <see cref="Create"/>'s handler under
/// <see cref="Name"/> in <see cref="SshServerOptions.Subsystems"/> and clients' <c>sftp</c>
/// requests (OpenSSH's <c>sftp</c>, <c>scp</c> in its default SFTP mode, sshfs) are served.
/// <code>
/// var options = new SshServerOptions
/// {
///     HostKeys = [hostKey],
///     Subsystems = new Dictionary&lt;string, SshSubsystemHandler&gt;
///     {
///         [SftpSubsystem.Name] = SftpSubsystem.Create(new SftpServerOptions { Root = "/srv/files" }),
///     },
/// };
/// </code>
/// </summary>
public static class SftpSubsystem
{
    /// <summary>The subsystem name clients ask for: <c>sftp</c>.</summary>
    public const string Name = "sftp";

    /// <summary>
    /// The handler serving SFTP version 3 with OpenSSH's extensions on each session: requests are
    /// processed concurrently (up to <see cref="SftpServerOptions.MaxConcurrentRequests"/>) and
    /// answered as they complete, overlapping reads and writes of one file in order. A malformed
    /// request is answered BAD_MESSAGE; a packet that breaks the framing ends the session. When the
    /// session ends every handle and the file system are closed.
    /// </summary>
    /// <param name="options">The options; defaults when null.</param>
    /// <returns>The handler.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static SshSubsystemHandler Create(SftpServerOptions? options = null)
    {
        options ??= new SftpServerOptions();
        options.Validate();
        return async (subsystem, cancellationToken) =>
        {
            ArgumentNullException.ThrowIfNull(subsystem);
            SftpFileSystem fileSystem = options.FileSystemFactory is { } factory ? factory(subsystem) : new LocalFileSystem(options.Root);
            await using (fileSystem.ConfigureAwait(false))
            {
                var session = new SftpServerSession(options, fileSystem, subsystem.Stream, subsystem.UserName, SftpSymlinkOrder.LinkFirst(subsystem.Connection.RemoteVersion));
                subsystem.ExitStatus = await session.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        };
    }
}
