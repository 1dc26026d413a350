using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// simple_sftp_server: SFTP on this machine's file system as the user that runs the sample
/// (AsyncSSH's <c>sftp_factory=True</c>), for clients whose keys are in <c>ssh_user_ca</c>. No shell.
/// </summary>
internal sealed class SimpleSftpServer : ISample
{
    public string Name => "simple_sftp_server";

    public string Description => "Serve SFTP on this machine's file system, as the user running it.";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, new SshServerOptions
    {
        Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = SftpSubsystem.Create() },
    });
}
