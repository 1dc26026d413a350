using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// chroot_sftp_server: SFTP with each user confined to their own directory, <c>/tmp/sftp/USER</c>
/// (<c>--root DIR</c> replaces <c>/tmp/sftp</c>), made when missing: <c>/</c> is that directory and
/// no path, <c>..</c> or symbolic link reaches outside it (the file system is picked per session,
/// as AsyncSSH's SFTPServer subclass picks its chroot from the user name).
/// </summary>
internal sealed class ChrootSftpServer : ISample
{
    public string Name => "chroot_sftp_server";

    public string Description => "Serve SFTP with each user confined to /tmp/sftp/USER (--root replaces /tmp/sftp).";

    public Task<int> RunAsync(SampleContext context)
    {
        string top = Path.GetFullPath(context.Root ?? "/tmp/sftp");
        var sftp = SftpSubsystem.Create(new SftpServerOptions
        {
            FileSystemFactory = session =>
            {
                // A user name is one path component, never a way up.
                string user = session.UserName;
                if (user.Length == 0 || user is "." or ".." || user.Contains('/', StringComparison.Ordinal) || user.Contains('\0', StringComparison.Ordinal))
                {
                    throw new SftpFileSystemException(FileSystemError.PermissionDenied, $"No directory for user '{user}'");
                }

                string root = Path.Combine(top, user);
                Directory.CreateDirectory(root);
                return new LocalFileSystem(root);
            },
        });
        return ServerSample.ListenWithUserCaAsync(context, new SshServerOptions
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = sftp },
        });
    }
}
