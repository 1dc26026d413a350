using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// simple_scp_server: SFTP and SCP on this machine's file system as the user that runs the
/// sample, both over one file-system layer (AsyncSSH's <c>sftp_factory=True, allow_scp=True</c>),
/// for clients whose keys are in <c>ssh_user_ca</c>. OpenSSH's <c>scp -O</c> is served by the
/// scp exec command, its default SFTP mode by the subsystem. No shell.
/// </summary>
internal sealed class SimpleScpServer : ISample
{
    public string Name => "simple_scp_server";

    public string Description => "Serve SFTP and SCP on this machine's file system, as the user running it.";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, new SshServerOptions
    {
        Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = SftpSubsystem.Create() },
        ProcessHandler = ScpServer.CreateProcessHandler(_ => new LocalFileSystem()),
    });
}
