using Rx.Ssh.Forwarding;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Client.Forwarding;

/// <summary>
/// The client's remote listeners: the <c>forwarded-tcpip</c> and <c>forwarded-streamlocal@openssh.com</c>
/// handlers (registered once per connection, on first use) match each incoming channel to the listener
/// that asked for it; anything else is refused with ADMINISTRATIVELY_PROHIBITED. A listener whose request
/// is still waiting for its reply (port 0: the port is not known yet) holds unmatched channels until it is settled.
/// Some servers (AsyncSSH's up to at least 2.10, OpenSSH before 6.8) report the port asked for, 0,
/// instead of the one they allocated: a channel for port 0 goes to the listener that asked for port 0
/// on that host, or to the only one that asked for port 0.
/// </summary>
internal sealed class RemoteForwardRegistry
{
    private readonly List<Listener> _listeners = [];

    private RemoteForwardRegistry(SshConnection connection)
    {
        connection.RegisterChannelOpenHandler(ForwardingWire.ForwardedTcpip, OnOpenAsync);
        connection.RegisterChannelOpenHandler(ForwardingWire.ForwardedStreamLocal, OnOpenAsync);
    }

    public static RemoteForwardRegistry Create(SshConnection connection) => new(connection);

    /// <summary>Adds a listener before its request is sent; <see cref="Listener.Settle"/> it with the port (or remove it) once answered.</summary>
    public Listener Add(string host, string? path, bool dynamicPort, Action<SshRemoteForwardRequest> deliver)
    {
        var listener = new Listener(host, path, dynamicPort, deliver);
        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        return listener;
    }

    public void Remove(Listener listener)
    {
        lock (_listeners)
        {
            _listeners.Remove(listener);
        }

        listener.Settle(-1);
    }

    private async ValueTask OnOpenAsync(SshPendingChannel channel, CancellationToken cancellationToken)
    {
        string connectedHost;
        int connectedPort = 0;
        string originatorHost = string.Empty;
        int originatorPort = 0;
        bool unix = channel.ChannelType == ForwardingWire.ForwardedStreamLocal;
        try
        {
            if (unix)
            {
                connectedHost = ForwardingWire.ReadStreamLocalChannel(channel.ExtraData.Span);
            }
            else
            {
                (connectedHost, connectedPort, originatorHost, originatorPort) = ForwardingWire.ReadHostPortOriginator(channel.ExtraData.Span);
            }
        }
        catch (Exception ex) when (ex is SshFormatException or FormatException or OverflowException or ArgumentException)
        {
            channel.Reject(ChannelOpenFailureReason.ConnectFailed, "Malformed forwarded channel data.");
            return;
        }

        // The unsettled listeners are taken before the lookup, not after it: one settled in between
        // (the channel often arrives right behind the reply that settles it) would otherwise be
        // missed by the lookup and absent from the list, and its connection refused.
        Task[] unsettled;
        lock (_listeners)
        {
            unsettled = [.. _listeners.Where(l => !l.Settled.IsCompleted).Select(l => l.Settled)];
        }

        Listener? match = Find(unix, connectedHost, connectedPort);
        if (match is null && unsettled.Length > 0)
        {
            await Task.WhenAll(unsettled).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            match = Find(unix, connectedHost, connectedPort);
        }

        if (match is null)
        {
            channel.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, "No forwarding was requested for this address.");
            return;
        }

        match.Deliver(new SshRemoteForwardRequest(channel, connectedHost, connectedPort, originatorHost, originatorPort));
    }

    private Listener? Find(bool unix, string host, int port)
    {
        lock (_listeners)
        {
            if (unix)
            {
                return _listeners.FirstOrDefault(l => l.Port >= 0 && l.Path == host);
            }

            List<Listener> byPort = [.. _listeners.Where(l => l.Path is null && l.Port > 0 && (port == 0 ? l.DynamicPort : l.Port == port))];
            return byPort.FirstOrDefault(l => l.Host == host) ?? (byPort.Count == 1 ? byPort[0] : null);
        }
    }

    internal sealed class Listener(string host, string? path, bool dynamicPort, Action<SshRemoteForwardRequest> deliver)
    {
        private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Host => host;

        public string? Path => path;

        /// <summary>Asked for port 0 (the server chose <see cref="Port"/>).</summary>
        public bool DynamicPort => dynamicPort;

        public int Port { get; private set; } = -1;

        public Task Settled => _settled.Task;

        public void Deliver(SshRemoteForwardRequest request) => deliver(request);

        public void Settle(int port)
        {
            if (!_settled.Task.IsCompleted)
            {
                Port = port;
            }

            _settled.TrySetResult();
        }
    }
}
