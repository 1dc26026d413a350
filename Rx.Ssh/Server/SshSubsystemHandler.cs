namespace Rx.Ssh;

/// <summary>
/// Serves one subsystem session (see <see cref="SshServerOptions.Subsystems"/>): read the client's
/// input from <see cref="SshServerSubsystem.Stream"/> and write the output to it. It runs on the
/// thread pool, after the server accepted the <c>subsystem</c> request. When it returns the
/// session ends: <c>exit-status</c>
/// (<see cref="SshServerSubsystem.ExitStatus"/>, 0 unless set), EOF, CLOSE. When it throws, the
/// exception is logged and the exit status is 1 (the client sees nothing more).
/// </summary>
/// <param name="subsystem">The subsystem's channel and its context.</param>
/// <param name="cancellationToken">Cancelled when the channel closes (the client closed it, or the connection ended).</param>
/// <returns>Completes when the subsystem is done.</returns>
public delegate Task SshSubsystemHandler(SshServerSubsystem subsystem, CancellationToken cancellationToken);
