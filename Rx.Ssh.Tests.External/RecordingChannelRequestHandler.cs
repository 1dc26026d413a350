using System.Collections.Concurrent;

namespace Rx.Ssh.Tests.External;

/// <summary>
/// A channel-request handler written as a third party would (public surface only): records each
/// request it sees and answers it, optionally only once <see cref="Gate"/> is opened, so tests can
/// check that replies keep request order.
/// </summary>
public sealed class RecordingChannelRequestHandler
{
    private readonly ConcurrentQueue<SshChannelRequest> _seen = new();
    private readonly TaskCompletionSource<SshChannelRequest> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a handler that answers <paramref name="answer"/>.</summary>
    /// <param name="answer">The answer to every request.</param>
    /// <param name="gated">Whether answers wait for <see cref="Gate"/>.</param>
    public RecordingChannelRequestHandler(bool answer = true, bool gated = false)
    {
        Answer = answer;
        if (!gated)
        {
            Gate.SetResult();
        }
    }

    /// <summary>The answer given.</summary>
    public bool Answer { get; }

    /// <summary>Complete it to let answers go out.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The requests seen so far.</summary>
    public IReadOnlyCollection<SshChannelRequest> Seen => _seen;

    /// <summary>Completes with the first request seen.</summary>
    public Task<SshChannelRequest> First => _first.Task;

    /// <summary>The handler to register.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancelled when the connection ends.</param>
    /// <returns>The answer.</returns>
    public async ValueTask<bool> HandleAsync(SshChannelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _seen.Enqueue(request);
        _first.TrySetResult(request);
        await Gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Answer;
    }
}
