using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rx.Ssh;

// Channel requests that no built-in code handles (RFC 4254 section 5.4), both roles: the channel's
// consumer (the session pump of either role) looks the name up in _requestHandlers and awaits the
// handler, run on the thread pool, before it takes the channel's next event. Replies therefore stay
// in request order per channel, and a slow handler holds only its own channel (whose queued requests
// are bounded by ChannelEventQueue), never the dispatch loop. No handler: FAILURE when want-reply.
public abstract partial class SshConnection
{
    private readonly ConcurrentDictionary<string, SshChannelRequestHandler> _requestHandlers = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers <paramref name="handler"/> for channel requests named <paramref name="name"/> that
    /// the peer sends on this connection's session channels and that the library does not handle
    /// itself (e.g. <c>auth-agent-req@openssh.com</c>, <c>x11-req</c>); disposing the result
    /// unregisters it (requests already started finish). Requests with no handler are answered with
    /// failure when they want a reply. To have a handler before the first request can arrive, use the
    /// options' <c>ChannelRequestHandlers</c>.
    /// </summary>
    /// <param name="name">The request name, compared ordinally.</param>
    /// <param name="handler">Answers the requests; see <see cref="SshChannelRequestHandler"/> for threading and order.</param>
    /// <returns>Unregisters the handler when disposed.</returns>
    /// <exception cref="InvalidOperationException">A handler for <paramref name="name"/> is already registered.</exception>
    public IDisposable RegisterChannelRequestHandler(string name, SshChannelRequestHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_requestHandlers.TryAdd(name, handler))
        {
            throw new InvalidOperationException($"A handler for channel request '{name}' is already registered.");
        }

        return new RequestRegistration(this, name, handler);
    }

    /// <summary>Registers the options' handlers, before the dispatch loop starts.</summary>
    internal void AddChannelRequestHandlers(IReadOnlyDictionary<string, SshChannelRequestHandler>? handlers)
    {
        foreach (KeyValuePair<string, SshChannelRequestHandler> entry in handlers ?? new Dictionary<string, SshChannelRequestHandler>())
        {
            RegisterChannelRequestHandler(entry.Key, entry.Value);
        }
    }

    /// <summary>
    /// Answers a request no built-in code handles: runs its registered handler (off the caller's
    /// thread) or, without one, fails it. Returns the answer; the caller sends the reply, in order.
    /// </summary>
    internal async ValueTask<bool> HandleChannelRequestAsync(Connection.SshChannel channel, string name, byte[]? data, bool wantReply)
    {
        if (!_requestHandlers.TryGetValue(name, out SshChannelRequestHandler? handler))
        {
            return false;
        }

        var request = new SshChannelRequest(this, channel.ChannelType, channel.LocalId, name, data ?? [], wantReply);
        CancellationToken ending = _ending.Token;
        try
        {
            return await Task.Run(async () => await handler(request, ending).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!ending.IsCancellationRequested)
            {
                Loggers.Connection.LogWarning(SshLogEvents.Connection.ChannelRequestHandlerFailed, ex, "The handler for channel request '{Name}' failed; answered with failure", name);
            }

            return false;
        }
    }

    private sealed class RequestRegistration(SshConnection connection, string name, SshChannelRequestHandler handler) : IDisposable
    {
        public void Dispose() => connection._requestHandlers.TryRemove(new KeyValuePair<string, SshChannelRequestHandler>(name, handler));
    }
}
