namespace Rx.Ssh.Server;

/// <summary>
/// The default session of a server with <see cref="SshServerOptions.Subsystems"/> and no process
/// handler: registered subsystems are taken before the session is asked, everything else (shell,
/// exec, other subsystems) is refused by the base class's defaults.
/// </summary>
internal sealed class SubsystemOnlySession : SshServerSession
{
}
