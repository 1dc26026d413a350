using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh.Client;

/// <summary>
/// Agent forwarding, the client's side (OpenSSH's PROTOCOL, "agent forwarding"): each session asks for it
/// with <c>auth-agent-req@openssh.com</c>, and every <c>auth-agent@openssh.com</c> channel the server
/// then opens is relayed, bytes as they are, to a new connection to the local agent's socket. Only
/// registered when <see cref="SshClientOptions.ForwardAgent"/> is set: otherwise the server's agent
/// channels are refused as an unknown type, as they must be when forwarding was not asked for.
/// </summary>
internal sealed class AgentForwarding
{
    /// <summary>The session request asking the server to forward the agent.</summary>
    public const string RequestName = "auth-agent-req@openssh.com";

    /// <summary>The channel type the server opens for each agent connection on its side.</summary>
    public const string ChannelType = "auth-agent@openssh.com";

    private readonly string _socketPath;
    private readonly ILogger _logger;

    private AgentForwarding(SshConnection connection, string socketPath, ILogger logger)
    {
        _socketPath = socketPath;
        _logger = logger;
        connection.RegisterChannelOpenHandler(ChannelType, OnOpenAsync);
    }

    /// <summary>Registers the channel handler on <paramref name="connection"/>, relaying to <paramref name="socketPath"/>.</summary>
    public static AgentForwarding Start(SshConnection connection, string socketPath, ILogger logger) => new(connection, socketPath, logger);

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
            _logger.LogWarning("Refusing a forwarded agent channel: cannot connect to the agent at {Path}: {Message}", _socketPath, ex.Message);
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
            _logger.LogDebug("A forwarded agent connection ended with an error: {Message}", error.Message);
        }
    }
}
