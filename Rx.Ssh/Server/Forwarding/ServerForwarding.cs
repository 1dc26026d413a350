using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh.Server.Forwarding;

/// <summary>
/// A server connection's forwarding (RFC 4254 section 7): the <c>direct-*</c> channel types and
/// the <c>*-forward</c> global requests, each checked against the key's options
/// (<see cref="ForwardTrust"/>), then decided by the connection's <see cref="SshServerHandler"/>.
/// Types and requests the options already give a handler for are left to it. Counts forwarded
/// channels of both directions against <see cref="SshServerOptions.MaxForwardedChannels"/>; stops
/// every listener when the connection ends.
/// </summary>
internal sealed class ServerForwarding
{
    private readonly SshServerConnection _connection;
    private readonly SshServerOptions _options;
    private readonly ISubject<SshForwardEnded> _ended = Subject.Synchronize(new Subject<SshForwardEnded>());
    private readonly Dictionary<string, ForwardListener> _listeners = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _ending = new();
    private bool _stopped;
    private int _channels;

    public ServerForwarding(SshServerConnection connection, SshServerOptions options)
    {
        _connection = connection;
        _options = options;
        Ended = _ended.AsObservable();
    }

    /// <summary>Each forwarded channel that ended; completes once the connection has ended and its last forward has been reported.</summary>
    public IObservable<SshForwardEnded> Ended { get; }

    private ILogger Logger => _connection.Loggers.Forwarding;

    private int ListenerCount()
    {
        lock (_listeners)
        {
            return _listeners.Count;
        }
    }

    /// <summary>Registers the handlers the options do not override (before the dispatch loop starts).</summary>
    public void Register()
    {
        foreach (string type in (string[])[ForwardingWire.DirectTcpip, ForwardingWire.DirectStreamLocal])
        {
            if (_options.ChannelOpenHandlers?.ContainsKey(type) != true)
            {
                _connection.RegisterChannelOpenHandler(type, OnDirectAsync);
            }
        }

        Add(ForwardingWire.TcpipForward, (r, ct) => ListenAsync(r, streamLocal: false, ct));
        Add(ForwardingWire.StreamLocalForward, (r, ct) => ListenAsync(r, streamLocal: true, ct));
        Add(ForwardingWire.CancelTcpipForward, (r, ct) => ValueTask.FromResult(Cancel(r, streamLocal: false)));
        Add(ForwardingWire.CancelStreamLocalForward, (r, ct) => ValueTask.FromResult(Cancel(r, streamLocal: true)));
        _ = _connection.Completion.ContinueWith(_ => Stop(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        void Add(string name, SshGlobalRequestHandler handler)
        {
            if (_options.GlobalRequestHandlers?.ContainsKey(name) != true)
            {
                _connection.RegisterGlobalRequestHandler(name, handler);
            }
        }
    }

    private async ValueTask OnDirectAsync(SshPendingChannel pending, CancellationToken cancellationToken)
    {
        SshDirectForwardRequest request;
        try
        {
            if (pending.ChannelType == ForwardingWire.DirectTcpip)
            {
                (string host, int port, string originator, int originatorPort) = ForwardingWire.ReadHostPortOriginator(pending.ExtraData.Span);
                request = new SshDirectForwardRequest(_connection, ForwardingWire.DirectTcpip, host, port, originator, originatorPort, null) { CancellationToken = cancellationToken };
            }
            else
            {
                request = new SshDirectForwardRequest(_connection, ForwardingWire.DirectStreamLocal, string.Empty, 0, string.Empty, 0, ForwardingWire.ReadStreamLocalChannel(pending.ExtraData.Span)) { CancellationToken = cancellationToken };
            }
        }
        catch (Exception e) when (e is FormatException or SshException or ArgumentException)
        {
            pending.Reject(ChannelOpenFailureReason.ConnectFailed, "Malformed " + pending.ChannelType + " request.");
            return;
        }

        if (ForwardTrust.CheckDirect(_connection.KeyOptions, request) is { } refusal)
        {
            Logger.LogInformation(SshLogEvents.Forwarding.DirectForwardRefused, "Refused {Type} to {Target} for {User}: {Reason}", request.ChannelType, request, _connection.UserName, refusal);
            pending.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, refusal);
            return;
        }

        if (!TryReserve())
        {
            pending.Reject(ChannelOpenFailureReason.ResourceShortage, $"At most {_options.MaxForwardedChannels} forwarded channels may be open at once.");
            return;
        }

        try
        {
            await DecideDirectAsync(pending, request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    private async Task DecideDirectAsync(SshPendingChannel pending, SshDirectForwardRequest request, CancellationToken cancellationToken)
    {
        SshForwardDecision decision;
        try
        {
            decision = await _connection.Handler.DirectForwardRequestedAsync(request, cancellationToken).ConfigureAwait(false) ?? Refused;
        }
        catch (Exception ex)
        {
            Logger.LogWarning(SshLogEvents.Forwarding.DirectForwardPolicyFailed, ex, "The forwarding policy failed for {Type} to {Target}; refused", request.ChannelType, request);
            decision = Refused;
        }

        string originator = request.IsStreamLocal ? string.Empty : ForwardText.HostPort(request.OriginatorHost, request.OriginatorPort);
        switch (decision.Kind)
        {
            case SshForwardDecisionKind.Allow:
                Socket socket;
                try
                {
                    socket = await ConnectAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException or TimeoutException or ArgumentException or IOException)
                {
                    Logger.LogInformation(SshLogEvents.Forwarding.DirectForwardFailed, "{Type} to {Target} for {User} failed: {Error}", request.ChannelType, request, _connection.UserName, ex.Message);
                    pending.Reject(ChannelOpenFailureReason.ConnectFailed, $"Connect to {request} failed: {ex.Message}");
                    return;
                }

                SshChannelStream channel;
                try
                {
                    channel = pending.Accept();
                }
                catch (Exception ex) when (ex is SshConnectionException or InvalidOperationException)
                {
                    socket.Dispose();
                    return;
                }

                SpliceResult result = await ChannelSplice.RunAsync(socket, channel, cancellationToken).ConfigureAwait(false);
                Report(new SshForwardEnded(request.ChannelType, request.ToString(), originator, result.BytesFromChannel, result.BytesToChannel, result.Error));
                return;

            case SshForwardDecisionKind.Handle:
                SshChannelStream handled;
                try
                {
                    handled = pending.Accept();
                }
                catch (Exception ex) when (ex is SshConnectionException or InvalidOperationException)
                {
                    return;
                }

                Exception? error = null;
                await using (handled.ConfigureAwait(false))
                {
                    try
                    {
                        await Task.Run(() => decision.Handler!(handled, cancellationToken), CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        if (!cancellationToken.IsCancellationRequested)
                        {
                            Logger.LogWarning(SshLogEvents.Forwarding.DirectForwardHandlerFailed, ex, "The in-process handler for {Type} to {Target} failed", request.ChannelType, request);
                        }

                        error = ex;
                    }
                }

                Report(new SshForwardEnded(request.ChannelType, request.ToString(), originator, 0, 0, error));
                return;

            default:
                pending.Reject(decision.Reason, decision.Message ?? "Forwarding refused.");
                return;
        }
    }

    private async Task<Socket> ConnectAsync(SshDirectForwardRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        TimeSpan limit = _options.ForwardConnectTimeout;
        if (limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(limit);
        }

        Socket socket;
        EndPoint endPoint;
        if (request.SocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            endPoint = new UnixDomainSocketEndPoint(path);
        }
        else
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            endPoint = IPAddress.TryParse(request.Host, out IPAddress? address) ? new IPEndPoint(address, request.Port) : new DnsEndPoint(request.Host, request.Port);
        }

        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            if (socket.AddressFamily != AddressFamily.Unix)
            {
                socket.NoDelay = true;
            }

            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no answer within {limit.TotalSeconds:0.###} s"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async ValueTask<SshGlobalReply> ListenAsync(SshGlobalRequest global, bool streamLocal, CancellationToken cancellationToken)
    {
        SshListenRequest request;
        try
        {
            if (streamLocal)
            {
                request = new SshListenRequest(_connection, string.Empty, 0, ForwardingWire.ReadListenPath(global.Data.Span)) { CancellationToken = cancellationToken };
            }
            else
            {
                (string host, int port) = ForwardingWire.ReadListen(global.Data.Span);
                request = new SshListenRequest(_connection, host, port, null) { CancellationToken = cancellationToken };
            }
        }
        catch (Exception e) when (e is FormatException or SshException or ArgumentException)
        {
            return SshGlobalReply.Failed;
        }

        if (ForwardTrust.CheckListen(_connection.KeyOptions, request) is { } refusal)
        {
            Logger.LogInformation(SshLogEvents.Forwarding.ListenRefused, "Refused {Request} on {Address} for {User}: {Reason}", global.Name, request, _connection.UserName, refusal);
            return SshGlobalReply.Failed;
        }

        bool allowed;
        try
        {
            allowed = await _connection.Handler.ListenRequestedAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(SshLogEvents.Forwarding.ListenPolicyFailed, ex, "The listen policy failed for {Address}; refused", request);
            allowed = false;
        }

        if (!allowed)
        {
            Logger.LogInformation(SshLogEvents.Forwarding.ListenRefusedByPolicy, "Refused {Request} on {Address} for {User} by the policy", global.Name, request, _connection.UserName);
            return SshGlobalReply.Failed;
        }

        if (ListenerCount() >= _options.MaxForwardListeners)
        {
            Logger.LogWarning(SshLogEvents.Forwarding.ListenerLimit, "Refused {Request} on {Address} for {User}: at most {Max} forward listeners per connection", global.Name, request, _connection.UserName, _options.MaxForwardListeners);
            return SshGlobalReply.Failed;
        }

        ForwardListener listener;
        try
        {
            listener = ForwardListener.Bind(request);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException or IOException)
        {
            Logger.LogInformation(SshLogEvents.Forwarding.ListenFailed, "Cannot listen on {Address} for {User}: {Error}", request, _connection.UserName, ex.Message);
            return SshGlobalReply.Failed;
        }

        lock (_listeners)
        {
            if (_stopped || _listeners.Count >= _options.MaxForwardListeners || !_listeners.TryAdd(listener.Key, listener))
            {
                listener.Dispose();
                return SshGlobalReply.Failed;
            }
        }

        Logger.LogDebug(SshLogEvents.Forwarding.Listening, "Listening on {Address} ({Port}) for {User}", request, listener.Port, _connection.UserName);
        _ = AcceptLoopAsync(listener);
        return request.IsStreamLocal || request.Port != 0 ? SshGlobalReply.Succeeded() : SshGlobalReply.Succeeded(ForwardingWire.AllocatedPort(listener.Port));
    }

    private SshGlobalReply Cancel(SshGlobalRequest global, bool streamLocal)
    {
        string key;
        try
        {
            if (streamLocal)
            {
                key = ForwardListener.KeyOf(ForwardingWire.ReadListenPath(global.Data.Span));
            }
            else
            {
                (string host, int port) = ForwardingWire.ReadListen(global.Data.Span);
                key = ForwardListener.KeyOf(host, port);
            }
        }
        catch (Exception e) when (e is FormatException or SshException or ArgumentException)
        {
            return SshGlobalReply.Failed;
        }

        ForwardListener? listener;
        int left;
        lock (_listeners)
        {
            if (!_listeners.Remove(key, out listener))
            {
                return SshGlobalReply.Failed;
            }

            left = _listeners.Count;
        }

        listener.Dispose();
        LogStopped(listener, "cancelled", left);
        return SshGlobalReply.Succeeded();
    }

    private async Task AcceptLoopAsync(ForwardListener listener)
    {
        CancellationToken ending = _ending.Token;
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(ending).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // cancelled, or the connection ended
            }

            if (!TryReserve())
            {
                Logger.LogInformation(SshLogEvents.Forwarding.ForwardedChannelLimit, "Connection to {Address} closed: at most {Max} forwarded channels", listener.Request, _options.MaxForwardedChannels);
                socket.Dispose();
                continue;
            }

            _ = ForwardAsync(listener, socket, ending);
        }
    }

    private async Task ForwardAsync(ForwardListener listener, Socket socket, CancellationToken ending)
    {
        try
        {
            SshListenRequest request = listener.Request;
            string originator = socket.RemoteEndPoint is IPEndPoint remote ? ForwardText.HostPort(Unmapped(remote.Address), remote.Port) : string.Empty;
            string type;
            byte[] extra;
            if (request.SocketPath is { } path)
            {
                type = ForwardingWire.ForwardedStreamLocal;
                extra = ForwardingWire.ForwardedStreamLocalData(path);
            }
            else
            {
                var remoteEnd = socket.RemoteEndPoint as IPEndPoint;
                type = ForwardingWire.ForwardedTcpip;
                extra = ForwardingWire.ForwardedTcpipData(request.Host, listener.Port, remoteEnd is null ? string.Empty : Unmapped(remoteEnd.Address), remoteEnd?.Port ?? 0);
            }

            SshChannelStream channel;
            try
            {
                channel = await _connection.OpenChannelAsync(type, extra, null, ending).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SshChannelException or SshConnectionException or OperationCanceledException)
            {
                Logger.LogInformation(SshLogEvents.Forwarding.ForwardedChannelFailed, "{Type} for {Address} not opened: {Error}", type, request, ex.Message);
                socket.Dispose();
                Report(new SshForwardEnded(type, ListenText(listener), originator, 0, 0, ex));
                return;
            }

            if (socket.AddressFamily != AddressFamily.Unix)
            {
                socket.NoDelay = true;
            }

            SpliceResult result = await ChannelSplice.RunAsync(socket, channel, ending).ConfigureAwait(false);
            Report(new SshForwardEnded(type, ListenText(listener), originator, result.BytesFromChannel, result.BytesToChannel, result.Error));
        }
        finally
        {
            Release();
        }
    }

    private static string ListenText(ForwardListener listener) =>
        listener.Request.SocketPath ?? ForwardText.HostPort(listener.Request.Host, listener.Port);

    private static string Unmapped(IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private bool TryReserve()
    {
        if (Interlocked.Increment(ref _channels) > _options.MaxForwardedChannels)
        {
            Interlocked.Decrement(ref _channels);
            return false;
        }

        return true;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _channels) == 0 && Volatile.Read(ref _stopped))
        {
            _ended.OnCompleted();
        }
    }

    private void Report(SshForwardEnded ended)
    {
        Logger.LogDebug(SshLogEvents.Forwarding.ForwardEnded, "{Type} {Target} from {Originator} for {User} ended: {In} bytes in, {Out} bytes out, {Error}", ended.ChannelType, ended.Target, ended.Originator, _connection.UserName, ended.BytesFromClient, ended.BytesToClient, ended.Error?.Message ?? "EOF");
        _ended.OnNext(ended);
    }

    /// <summary>The connection ended: unbind every listener, stop accepting, complete <see cref="Ended"/> now or when the last forward in flight is reported.</summary>
    private void Stop()
    {
        ForwardListener[] listeners;
        lock (_listeners)
        {
            _stopped = true;
            listeners = [.. _listeners.Values];
            _listeners.Clear();
        }

        foreach (ForwardListener listener in listeners)
        {
            listener.Dispose();
            LogStopped(listener, "the connection ended", 0);
        }

        _ending.Cancel();
        if (Volatile.Read(ref _channels) == 0)
        {
            _ended.OnCompleted();
        }
    }

    private void LogStopped(ForwardListener listener, string reason, int left) =>
        Logger.LogDebug(SshLogEvents.Forwarding.StoppedListening, "Stopped listening on {Address} ({Port}) for {User}: {Reason}; {Left} listeners left", listener.Request, listener.Port, _connection.UserName, reason, left);

    private static readonly SshForwardDecision Refused = SshForwardDecision.Refuse(ChannelOpenFailureReason.AdministrativelyProhibited, "Port forwarding is not allowed.");
}
