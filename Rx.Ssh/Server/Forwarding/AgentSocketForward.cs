using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh.Server.Forwarding;

/// <summary>
/// Agent forwarding, the server's side, for one session that asked with
/// <c>auth-agent-req@openssh.com</c>: a UNIX socket in a fresh private directory (mode 0700, as
/// sshd's <c>/tmp/ssh-XXXX/agent.N</c>), whose path goes to the session's processes in
/// <c>SSH_AUTH_SOCK</c>; each connection to it opens an <c>auth-agent@openssh.com</c> channel to the
/// client and is spliced to it byte for byte. At most <see cref="MaxConnections"/> at once (more are
/// closed at once). Disposed (socket and directory removed, relayed connections closed) when the
/// session ends.
/// </summary>
internal sealed class AgentSocketForward : IDisposable
{
    /// <summary>The session request asking for agent forwarding.</summary>
    public const string RequestName = "auth-agent-req@openssh.com";

    /// <summary>The channel type opened to the client for each agent connection.</summary>
    public const string ChannelType = "auth-agent@openssh.com";

    /// <summary>Agent connections relayed at once per session.</summary>
    public const int MaxConnections = 16;

    private readonly SshServerConnection _connection;
    private readonly Socket _listener;
    private readonly string _directory;
    private readonly CancellationTokenSource _stop = new();
    private int _active;
    private int _disposed;

    private AgentSocketForward(SshServerConnection connection, Socket listener, string directory, string path)
    {
        _connection = connection;
        _listener = listener;
        _directory = directory;
        SocketPath = path;
    }

    /// <summary>The socket's path (what <c>SSH_AUTH_SOCK</c> is set to).</summary>
    public string SocketPath { get; }

    /// <summary>Binds the socket and starts accepting; null (logged) when the socket cannot be made.</summary>
    public static AgentSocketForward? TryStart(SshServerConnection connection)
    {
        ILogger logger = connection.Loggers.Forwarding;
        string? directory = null;
        Socket? listener = null;
        try
        {
            directory = Directory.CreateTempSubdirectory("rxssh-agent-").FullName;
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            string path = Path.Combine(directory, "agent.sock");
            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(MaxConnections);
            var forward = new AgentSocketForward(connection, listener, directory, path);
            _ = forward.AcceptLoopAsync();
            return forward;
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(SshLogEvents.Forwarding.AgentSocketFailed, "Refusing agent forwarding: cannot make the agent socket: {Message}", ex.Message);
            listener?.Dispose();
            if (directory is not null)
            {
                TryDelete(directory);
            }

            return null;
        }
    }

    /// <summary>Stops accepting, closes relayed connections, removes the socket and its directory.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
        TryDelete(_directory);

        // _stop is not disposed: relays still running observe its (cancelled) token.
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left in the temp directory; nothing listens on it any more.
        }
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (Interlocked.Increment(ref _active) > MaxConnections)
            {
                Interlocked.Decrement(ref _active);
                _connection.Loggers.Forwarding.LogWarning(SshLogEvents.Forwarding.AgentConnectionLimit, "Closing an agent connection: {Max} already relayed for this session", MaxConnections);
                socket.Dispose();
                continue;
            }

            _ = RelayAsync(socket, stop);
        }
    }

    private async Task RelayAsync(Socket socket, CancellationToken stop)
    {
        try
        {
            SshChannelStream channel;
            try
            {
                channel = await _connection.OpenChannelAsync(ChannelType, ReadOnlyMemory<byte>.Empty, null, stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SshException or OperationCanceledException or ObjectDisposedException)
            {
                _connection.Loggers.Forwarding.LogDebug(SshLogEvents.Forwarding.AgentChannelRefusedByClient, "The client refused a forwarded agent channel: {Message}", ex.Message);
                socket.Dispose();
                return;
            }

            await ChannelSplice.RunAsync(socket, channel, stop).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }
}
