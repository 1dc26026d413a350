namespace Rx.Ssh;

/// <summary>
/// Answers incoming global requests of one name (see
/// <see cref="SshConnection.RegisterGlobalRequestHandler"/>). It runs on the thread pool, never on
/// the connection's dispatch loop, and may take as long as it needs: replies still go out in request
/// order. A handler that throws, or returns null, is answered with
/// <see cref="SshGlobalReply.Failed"/> and the connection lives on. <paramref name="cancellationToken"/>
/// is cancelled when the connection ends.
/// </summary>
/// <param name="request">The request and its data.</param>
/// <param name="cancellationToken">Cancelled when the connection ends.</param>
public delegate ValueTask<SshGlobalReply> SshGlobalRequestHandler(SshGlobalRequest request, CancellationToken cancellationToken);
