using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Connection;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh.Client;

/// <summary>
/// Agent forwarding, the client's side (OpenSSH's PROTOCOL, "agent forwarding"): each session asks for it
/// with <c>auth-agent-req@openssh.com</c>, and every <c>auth-agent@openssh.com</c> channel the server
/// then opens is relayed, bytes as they are, to a new connection to the local agent's socket. Exists only
/// when <see cref="SshClientOptions.ForwardAgent"/> is set, and its channel handler is registered only
/// when the first session asks: until then (and on a connection that never opens a session, such as a
/// jump host's) the server's agent channels are refused as an unknown type, as they must be when
/// forwarding was not asked for.
/// </summary>
internal sealed class AgentForwarding
{
    /// <summary>The session request asking the server to forward the agent.</summary>
    public const string RequestName = "auth-agent-req@openssh.com";

    /// <summary>The channel type the server opens for each agent connection on its side.</summary>
    public const string ChannelType = "auth-agent@openssh.com";

    private readonly SshConnection _connection;
    private readonly string _socketPath;
    private readonly ILogger _logger;
    private int _registered;

    public AgentForwarding(SshConnection connection, string socketPath, ILogger logger)
    {
        _connection = connection;
        _socketPath = socketPath;
        _logger = logger;
    }

    /// <summary>
    /// Sends <c>auth-agent-req@openssh.com</c> on a session channel (string name, boolean want reply
    /// false, as OpenSSH sends it, no data), registering the channel handler first the first time.
    /// </summary>
    public Task RequestAsync(SshChannel channel, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            _connection.RegisterChannelOpenHandler(ChannelType, OnOpenAsync);
        }

        return channel.SendRequestAsync(RequestName, false, null, cancellationToken);
    }

    private async ValueTask OnOpenAsync(SshPendingChannel pending, CancellationToken cancellationToken)
    {
        if (pending.ExtraData.Length != 0)
        {
            pending.Reject(ChannelOpenFailureReason.ConnectFailed, "Malformed agent channel.");
            return;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(SshAgentClient.DefaultRequestTimeout);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ArgumentException)
        {
            socket.Dispose();
            _logger.LogWarning(SshLogEvents.Client.AgentForwardRefused, "Refusing a forwarded agent channel: cannot connect to the agent at {Path}: {Message}", _socketPath, ex.Message);
            pending.Reject(ChannelOpenFailureReason.ConnectFailed, "The agent could not be reached.");
            return;
        }

        SshChannelStream channel;
        try
        {
            channel = pending.Accept();
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        SpliceResult result = await ChannelSplice.RunAsync(socket, channel, cancellationToken).ConfigureAwait(false);
        if (result.Error is { } error && !cancellationToken.IsCancellationRequested)
        {
            _logger.LogDebug(SshLogEvents.Client.AgentForwardEnded, "A forwarded agent connection ended with an error: {Message}", error.Message);
        }
    }
}
