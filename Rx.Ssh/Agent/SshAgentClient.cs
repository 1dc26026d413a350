using System.Buffers.Binary;
using System.Net.Sockets;
using Rx.Ssh.Agent;

namespace Rx.Ssh;

/// <summary>
/// A client of an ssh-agent (OpenSSH's <c>ssh-agent</c>, or any agent speaking its protocol) over its
/// UNIX socket: list the agent's keys and certificates, have it sign, add and remove keys, lock and
/// unlock it. Each identity it lists is an <see cref="ISshSigner"/>, so it can go straight into
/// <see cref="SshClientOptions.Signers"/> (the client also uses the agent by itself, see
/// <see cref="SshClientOptions.UseAgent"/>).
/// </summary>
/// <remarks>
/// Requests are answered one at a time, in order (concurrent calls wait their turn). Every request is
/// bounded: by <see cref="RequestTimeout"/>, by the caller's token, and the reply by
/// <see cref="MaxReplyLength"/>; replies are parsed strictly. Any failure is an
/// <see cref="SshAgentException"/> naming the socket; after a failure that leaves the conversation out
/// of step (a timeout, cancellation, a malformed reply, a lost socket) the connection is closed and later
/// requests fail with <see cref="SshAgentFailure.Unavailable"/>, while a refusal
/// (<see cref="SshAgentFailure.Refused"/>) leaves it usable. Dispose to close the socket.
/// </remarks>
public sealed partial class SshAgentClient : IAsyncDisposable, IDisposable
{
    /// <summary>The request timeout used when none is given: 30 s.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The largest reply accepted from the agent, 256 KiB (OpenSSH's own bound on agent messages).</summary>
    public const int MaxReplyLength = AgentProtocol.MaxReplyLength;

    private readonly Socket _socket;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _broken;
    private int _disposed;

    private SshAgentClient(Socket socket, string socketPath, TimeSpan requestTimeout)
    {
        _socket = socket;
        SocketPath = socketPath;
        RequestTimeout = requestTimeout;
    }

    /// <summary>The agent socket named by the <c>SSH_AUTH_SOCK</c> environment variable, or null when it is unset or empty.</summary>
    public static string? EnvironmentSocketPath =>
        Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") is { Length: > 0 } path ? path : null;

    /// <summary>The agent's socket path.</summary>
    public string SocketPath { get; }

    /// <summary>How long one request (sending it and reading the whole reply) may take before it fails with <see cref="SshAgentFailure.TimedOut"/>.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>
    /// Connects to the agent listening on <paramref name="socketPath"/> (a UNIX socket), or on
    /// <c>SSH_AUTH_SOCK</c> when it is null.
    /// </summary>
    /// <param name="socketPath">The socket path; null for <see cref="EnvironmentSocketPath"/>.</param>
    /// <param name="requestTimeout">The bound on connecting and on each request; null for <see cref="DefaultRequestTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The connected client, which the caller disposes.</returns>
    /// <exception cref="SshAgentException">No path is given and <c>SSH_AUTH_SOCK</c> is unset, or the socket cannot be reached in time (<see cref="SshAgentFailure.Unavailable"/>, <see cref="SshAgentFailure.TimedOut"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requestTimeout"/> is neither positive nor infinite.</exception>
    public static async Task<SshAgentClient> ConnectAsync(string? socketPath = null, TimeSpan? requestTimeout = null, CancellationToken cancellationToken = default)
    {
        TimeSpan timeout = requestTimeout ?? DefaultRequestTimeout;
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(requestTimeout), timeout, "the request timeout must be positive or infinite");
        }

        string path = socketPath ?? EnvironmentSocketPath
            ?? throw new SshAgentException(SshAgentFailure.Unavailable, string.Empty, "No ssh-agent: SSH_AUTH_SOCK is not set and no socket path was given.");
        if (path.Length == 0)
        {
            throw new SshAgentException(SshAgentFailure.Unavailable, path, "No ssh-agent: the socket path is empty.");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), limit.Token).ConfigureAwait(false);
            return new SshAgentClient(socket, path, timeout);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SshAgentException(SshAgentFailure.TimedOut, path, $"Cannot connect to the ssh-agent at {path}: no answer within {timeout.TotalSeconds:0.###} s.", new TimeoutException(e.Message, e));
        }
        catch (Exception e) when (e is SocketException or IOException or ArgumentException)
        {
            socket.Dispose();
            throw new SshAgentException(SshAgentFailure.Unavailable, path, $"Cannot connect to the ssh-agent at {path}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Closes the socket. Requests in flight fail; later ones fail with <see cref="SshAgentFailure.Unavailable"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _broken ??= "the client was disposed";
            _socket.Dispose();
        }
    }

    /// <summary>Closes the socket (as <see cref="Dispose"/>; closing does not wait on the agent).</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"ssh-agent at {SocketPath}";

    /// <summary>
    /// Sends one framed request (<paramref name="message"/>: type byte and contents, without the length)
    /// and returns the reply's type and contents. Failures close the connection, except that none is raised here for a refusal.
    /// </summary>
    private async Task<byte[]> RequestAsync(ReadOnlyMemory<byte> message, string what, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_broken is { } reason)
            {
                throw Fail(SshAgentFailure.Unavailable, $"cannot {what}: the connection is closed ({reason})");
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(RequestTimeout);
            try
            {
                byte[] frame = new byte[4 + message.Length];
                BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)message.Length);
                message.Span.CopyTo(frame.AsSpan(4));
                try
                {
                    await _socket.SendAsync(frame, SocketFlags.None, limit.Token).ConfigureAwait(false);
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(frame); // it may carry a private key or a passphrase
                }

                byte[] header = new byte[4];
                int got = await ReceiveExactlyAsync(header, limit.Token).ConfigureAwait(false);
                if (got == 0)
                {
                    throw Fail(SshAgentFailure.Unavailable, $"the agent closed the connection instead of answering the request to {what}");
                }

                if (got < header.Length)
                {
                    throw Fail(SshAgentFailure.InvalidReply, $"the reply to the request to {what} ends inside its length field");
                }

                uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (length == 0 || length > MaxReplyLength)
                {
                    throw Fail(SshAgentFailure.InvalidReply, $"the reply to the request to {what} claims {length} bytes (allowed: 1 to {MaxReplyLength})");
                }

                byte[] reply = new byte[length];
                got = await ReceiveExactlyAsync(reply, limit.Token).ConfigureAwait(false);
                if (got < reply.Length)
                {
                    throw Fail(SshAgentFailure.InvalidReply, $"the reply to the request to {what} is truncated: {got} of the {length} bytes it claims, then the connection closed");
                }

                return reply;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                Break("a request timed out");
                throw Fail(SshAgentFailure.TimedOut, $"no complete answer to the request to {what} within {RequestTimeout.TotalSeconds:0.###} s", new TimeoutException(e.Message, e));
            }
            catch (OperationCanceledException)
            {
                Break("a request was cancelled");
                throw;
            }
            catch (SshAgentException e)
            {
                Break(e.Failure == SshAgentFailure.Unavailable ? "the agent closed it" : "a reply was malformed");
                throw;
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                Break("the socket failed");
                throw Fail(SshAgentFailure.Unavailable, $"the connection failed during the request to {what}: {e.Message}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the agent closes; returns the bytes read.</summary>
    private async Task<int> ReceiveExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await _socket.ReceiveAsync(buffer[total..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private void Break(string reason)
    {
        _broken ??= reason;
        _socket.Dispose();
    }

    private SshAgentException Fail(SshAgentFailure failure, string text, Exception? inner = null) =>
        new(failure, SocketPath, $"ssh-agent at {SocketPath}: {text}.", inner);
}
