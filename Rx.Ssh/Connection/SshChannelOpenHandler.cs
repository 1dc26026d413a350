namespace Rx.Ssh;

/// <summary>
/// Decides incoming channels of one type (see <see cref="SshConnection.RegisterChannelOpenHandler"/>).
/// It runs on the thread pool, never on the connection's dispatch loop, and may take as long as it
/// needs: the channel stays pending until it is accepted or rejected (<see cref="SshPendingChannel"/>),
/// which may also happen after the handler returns. A handler that throws has its channel refused
/// (CONNECT_FAILED with a generic text, the exception is logged) and the connection lives on.
/// <paramref name="cancellationToken"/> is cancelled when the connection ends.
/// </summary>
/// <param name="channel">The pending channel: its type, the peer's values and the type-specific data.</param>
/// <param name="cancellationToken">Cancelled when the connection ends.</param>
/// <returns>Completes when the handler is done (not necessarily when the channel is decided).</returns>
public delegate ValueTask SshChannelOpenHandler(SshPendingChannel channel, CancellationToken cancellationToken);
