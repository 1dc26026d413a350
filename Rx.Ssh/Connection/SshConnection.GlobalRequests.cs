using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

// Global requests (RFC 4254 section 4), both directions, on one mechanism:
// - outgoing: every request, keepalives included, goes through SendGlobalRequestCoreAsync; those
//   that want a reply wait in _outgoing (FIFO, the peer replies in order) for the dispatch loop.
// - incoming: the dispatch loop looks the name up in _handlers and starts the handler on the thread
//   pool; replies wait in _incoming until every earlier one is ready, then go out through the
//   transport's reply budget. At most MaxPendingRequests wait or run; past that the dispatch
//   loop reads nothing more until one is done (the same read gate as channel requests).
public abstract partial class SshConnection
{
    /// <summary>Incoming global requests that may be pending (handler running or reply waiting its turn) before the dispatch loop stops reading.</summary>

    private readonly ConcurrentDictionary<string, SshGlobalRequestHandler> _handlers = new(StringComparer.Ordinal);
    private readonly LinkedList<OutgoingRequest> _outgoing = new();
    private readonly SemaphoreSlim _outgoingOrder = new(1, 1);
    private readonly Queue<IncomingReply> _incoming = new();
    private readonly CancellationTokenSource _ending = new();
    private Exception? _outgoingClosed;
    private int _incomingPending;
    private Connection.ReadRoom _incomingRoom;

    /// <summary>
    /// Sends a global request (RFC 4254 section 4) named <paramref name="name"/> with
    /// <paramref name="data"/> (the request-specific fields in wire format) and, when
    /// <paramref name="wantReply"/> is true, waits for the peer's reply, whose data it returns
    /// (e.g. the port the peer allocated for <c>tcpip-forward</c> with port 0).
    /// </summary>
    /// <remarks>
    /// Hot: the request is sent when this is called, not when the task is awaited. Safe to call from
    /// any thread; requests go out in call order and their replies are matched in that order. A refusal
    /// is a result (<see cref="SshGlobalReply.Success"/> false), not an exception. Without want-reply
    /// the task completes once the request is queued, with <see cref="SshGlobalReply.NotRequested"/>.
    /// Cancelling stops the wait only: a request already sent stays sent and its reply is dropped.
    /// </remarks>
    /// <param name="name">The request name (e.g. <c>tcpip-forward</c>).</param>
    /// <param name="data">The request-specific data after the want-reply flag, in wire format.</param>
    /// <param name="wantReply">Whether the peer should answer.</param>
    /// <param name="cancellationToken">Stops waiting for queue room or for the reply.</param>
    /// <returns>The peer's reply, or <see cref="SshGlobalReply.NotRequested"/>.</returns>
    /// <exception cref="SshConnectionException">The connection is closed or ends before the reply.</exception>
    public Task<SshGlobalReply> SendGlobalRequestAsync(string name, ReadOnlyMemory<byte> data, bool wantReply = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SendGlobalRequestCoreAsync(name, data, wantReply, null, cancellationToken);
    }

    /// <summary>
    /// Registers <paramref name="handler"/> for incoming global requests named <paramref name="name"/>
    /// on this connection; disposing the result unregisters it (requests already started finish).
    /// Requests with no handler are answered with failure when they want a reply. To have a handler
    /// before the first request can arrive, use the options' <c>GlobalRequestHandlers</c>.
    /// </summary>
    /// <param name="name">The request name, compared ordinally.</param>
    /// <param name="handler">Answers the requests; see <see cref="SshGlobalRequestHandler"/> for threading.</param>
    /// <returns>Unregisters the handler when disposed.</returns>
    /// <exception cref="InvalidOperationException">A handler for <paramref name="name"/> is already registered.</exception>
    public IDisposable RegisterGlobalRequestHandler(string name, SshGlobalRequestHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(name, handler))
        {
            throw new InvalidOperationException($"A handler for global request '{name}' is already registered.");
        }

        return new Registration(this, name, handler);
    }

    /// <summary>Registers the options' handlers, before the dispatch loop starts.</summary>
    internal void AddGlobalRequestHandlers(IReadOnlyDictionary<string, SshGlobalRequestHandler>? handlers)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (KeyValuePair<string, SshGlobalRequestHandler> entry in handlers)
        {
            RegisterGlobalRequestHandler(entry.Key, entry.Value);
        }
    }

    /// <summary>
    /// Sends a global request; <paramref name="onReply"/>, when given, runs on the dispatch loop with
    /// the reply before the task completes (keepalives count replies there, synchronously).
    /// </summary>
    internal async Task<SshGlobalReply> SendGlobalRequestCoreAsync(string name, ReadOnlyMemory<byte> data, bool wantReply, Action<SshGlobalReply>? onReply, CancellationToken cancellationToken)
    {
        using SshBuffer request = ConnectionMessages.GlobalRequest(name, wantReply);
        request.Writer.WriteRaw(data.Span);
        OutgoingRequest? pending = wantReply ? new OutgoingRequest(onReply) : null;
        await _outgoingOrder.WaitAsync(cancellationToken).ConfigureAwait(false);
        LinkedListNode<OutgoingRequest>? node = null;
        try
        {
            if (pending is not null)
            {
                lock (_outgoing)
                {
                    if (_outgoingClosed is not null)
                    {
                        throw new SshConnectionException(DisconnectReason.ConnectionLost, "The connection is closed.", true, _outgoingClosed);
                    }

                    // Queued before sending so that a fast reply always finds its entry.
                    node = _outgoing.AddLast(pending);
                }
            }

            await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (node is not null)
            {
                // Not sent, so no reply will come for it; nothing after it was sent either (we hold the order).
                lock (_outgoing)
                {
                    if (node.List is not null)
                    {
                        _outgoing.Remove(node);
                    }
                }
            }

            throw;
        }
        finally
        {
            _outgoingOrder.Release();
        }

        return pending is null ? SshGlobalReply.NotRequested : await pending.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A reply (REQUEST_SUCCESS/FAILURE) came: it answers the oldest request still waiting.</summary>
    private void CompleteGlobalRequest(bool success, ReadOnlySpan<byte> data)
    {
        OutgoingRequest? pending = null;
        lock (_outgoing)
        {
            if (_outgoing.First is { } first)
            {
                pending = first.Value;
                _outgoing.RemoveFirst();
            }
        }

        // Logged before its waiter resumes, so the log shows the reply before what the waiter does next.
        if (Loggers.Connection.IsEnabled(LogLevel.Debug))
        {
            Loggers.Connection.LogDebug(SshLogEvents.Connection.GlobalReplyReceived, "Global request reply: {Success}", success);
        }

        if (pending is not null)
        {
            SshGlobalReply reply = success ? SshGlobalReply.Succeeded(data.IsEmpty ? ReadOnlyMemory<byte>.Empty : data.ToArray()) : SshGlobalReply.Failed;
            pending.OnReply?.Invoke(reply);
            pending.Reply.TrySetResult(reply);
        }
    }

    /// <summary>A GLOBAL_REQUEST came (on the dispatch loop): answer it now, or start its handler.</summary>
    private void OnGlobalRequest(string name, bool wantReply, ReadOnlySpan<byte> data)
    {
        if (Loggers.Connection.IsEnabled(LogLevel.Debug))
        {
            Loggers.Connection.LogDebug(SshLogEvents.Connection.GlobalRequestReceived, "Global request {Name} received, want reply {WantReply}", name, wantReply);
        }

        if (!_handlers.TryGetValue(name, out SshGlobalRequestHandler? handler))
        {
            if (wantReply)
            {
                lock (_incoming)
                {
                    if (_incoming.Count == 0)
                    {
                        // Nothing before it waits (keepalives, the common case): answer at once.
                        SendFromDispatch(ConnectionMessages.GlobalReply(false));
                        return;
                    }

                    _incoming.Enqueue(new IncomingReply { Reply = SshGlobalReply.Failed });
                    _incomingPending++;
                }

                GateOnPendingRequests();
            }

            return;
        }

        var request = new SshGlobalRequest(this, name, data.IsEmpty ? ReadOnlyMemory<byte>.Empty : data.ToArray(), wantReply);
        IncomingReply? entry = wantReply ? new IncomingReply() : null;
        lock (_incoming)
        {
            _incomingPending++;
            if (entry is not null)
            {
                _incoming.Enqueue(entry);
            }
        }

        _ = RunHandlerAsync(handler, request, entry);
        GateOnPendingRequests();
    }

    private async Task RunHandlerAsync(SshGlobalRequestHandler handler, SshGlobalRequest request, IncomingReply? entry)
    {
        SshGlobalReply reply;
        CancellationToken ending = _ending.Token;
        try
        {
            // Off the dispatch loop, even for a handler that does its work before its first await.
            reply = await Task.Run(async () => await handler(request, ending).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false) ?? SshGlobalReply.Failed;
        }
        catch (Exception ex)
        {
            if (!ending.IsCancellationRequested)
            {
                Loggers.Connection.LogWarning(SshLogEvents.Connection.GlobalRequestHandlerFailed, ex, "The handler for global request '{Name}' failed; answered with failure", request.Name);
            }

            reply = SshGlobalReply.Failed;
        }

        TaskCompletionSource? room = null;
        lock (_incoming)
        {
            if (entry is null)
            {
                _incomingPending--;
            }
            else
            {
                entry.Reply = reply;
                FlushIncomingReplies();
            }

            if (_incomingPending < MaxPendingRequests)
            {
                room = _incomingRoom.Open();
            }
        }

        room?.TrySetResult();
    }

    /// <summary>Sends the replies at the head of <see cref="_incoming"/> that are ready, in order (holds its lock).</summary>
    private void FlushIncomingReplies()
    {
        while (_incoming.TryPeek(out IncomingReply? head) && head.Reply is { } reply)
        {
            _incoming.Dequeue();
            _incomingPending--;
            using SshBuffer message = ConnectionMessages.GlobalReply(reply.Success, reply.Data.Span);
            try
            {
                // Counts toward the transport's reply budget, as every reply the dispatch loop makes.
                Transport.Send(message);
            }
            catch (SshConnectionException)
            {
                // Closed meanwhile; the dispatch loop reports why.
            }
        }
    }

    /// <summary>On the dispatch loop: past the bound of pending requests, read nothing more until one is done.</summary>
    private void GateOnPendingRequests()
    {
        int waiting;
        lock (_incoming)
        {
            waiting = _incomingPending;
            if (waiting < MaxPendingRequests)
            {
                return;
            }

            _readGate = _incomingRoom.Close();
        }

        Loggers.Connection.LogDebug(SshLogEvents.Connection.ReadingPaused, "Reading paused: {Count} global requests wait for their handlers", waiting);
    }

    /// <summary>The connection ended: handlers are cancelled and requests waiting for replies fail.</summary>
    private void EndGlobalRequests(Exception? error)
    {
        _ending.Cancel();
        OutgoingRequest[] waiting;
        lock (_outgoing)
        {
            _outgoingClosed ??= error ?? new ObjectDisposedException(GetType().Name);
            waiting = [.. _outgoing];
            _outgoing.Clear();
        }

        foreach (OutgoingRequest pending in waiting)
        {
            pending.Reply.TrySetException(new SshConnectionException(DisconnectReason.ConnectionLost, "The connection ended before the global request was answered: " + error?.Message, false, error));
        }
    }

    private sealed class OutgoingRequest(Action<SshGlobalReply>? onReply)
    {
        public Action<SshGlobalReply>? OnReply { get; } = onReply;

        public TaskCompletionSource<SshGlobalReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class IncomingReply
    {
        public SshGlobalReply? Reply { get; set; }
    }

    private sealed class Registration(SshConnection connection, string name, SshGlobalRequestHandler handler) : IDisposable
    {
        public void Dispose() => connection._handlers.TryRemove(new KeyValuePair<string, SshGlobalRequestHandler>(name, handler));
    }
}
