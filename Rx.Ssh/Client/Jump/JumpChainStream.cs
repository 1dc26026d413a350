using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Client.Jump;

/// <summary>
/// The target connection's stream through jump hosts: the last hop's <c>direct-tcpip</c> channel,
/// owning every hop connection. Disposing it closes the channel, then the hops from the last to the
/// first. A read or write that fails because a hop's connection ended fails with
/// <see cref="SshProxyJumpException"/> naming the first hop that ended (the one upstream took the
/// others with it), which the target's transport passes on as its error.
/// </summary>
internal sealed class JumpChainStream : IO.ForwardStream
{
    /// <summary>How long a channel end waits for a hop's end to be seen, so the error can name it.</summary>
    private static readonly TimeSpan HopEndGrace = TimeSpan.FromMilliseconds(500);

    private readonly SshChannelStream _inner;
    private readonly IReadOnlyList<JumpHop> _hops;
    private readonly ILogger _logger;
    private int _disposed;

    public JumpChainStream(SshChannelStream inner, IReadOnlyList<JumpHop> hops, ILogger logger)
    {
        _inner = inner;
        _hops = hops;
        _logger = logger;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    /// <summary>The first hop whose connection has ended, as an error for the target; null when every hop is alive.</summary>
    public static SshProxyJumpException? LostHop(IReadOnlyList<JumpHop> hops)
    {
        foreach (JumpHop hop in hops)
        {
            if (hop.Connection.Transport.Failure is { } failure)
            {
                return new SshProxyJumpException(SshProxyJumpFailure.ConnectionLost, hop.Jump.Host, hop.Jump.Port, hop.Index, null, 0, failure);
            }
        }

        return null;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SshConnectionException or IOException && LostHop(_hops) is { } lost)
        {
            throw lost;
        }

        // The channel's end: the target went away, or a hop going down closed its channels before
        // its own end was seen (a graceful shutdown sends CHANNEL_CLOSE before DISCONNECT). The
        // connection is over either way; give the hops a moment to say whether one of them ended it.
        if (read == 0 && buffer.Length > 0 && Volatile.Read(ref _disposed) == 0)
        {
            if (LostHop(_hops) is null)
            {
                Task anyHopClosed = Task.WhenAny(_hops.Select(h => h.Connection.Transport.Closed));
                await Task.WhenAny(anyHopClosed, Task.Delay(HopEndGrace, CancellationToken.None)).ConfigureAwait(false);
            }

            if (LostHop(_hops) is { } ended)
            {
                throw ended;
            }
        }

        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SshConnectionException or IOException && LostHop(_hops) is { } lost)
        {
            throw lost;
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            await CloseAsync(_hops, _logger).ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Disconnects <paramref name="hops"/>, the last one first (each runs over the one before it).</summary>
    public static async Task CloseAsync(IReadOnlyList<JumpHop> hops, ILogger logger)
    {
        for (int i = hops.Count - 1; i >= 0; i--)
        {
            JumpHop hop = hops[i];
            await hop.Connection.DisposeAsync().ConfigureAwait(false);
            Exception? error = await hop.Connection.Completion.ConfigureAwait(false);
            logger.LogDebug(SshLogEvents.Client.JumpHostClosed, "Closed jump host {Hop} (hop {Index}): {Error}", hop.Jump, hop.Index + 1, error?.Message ?? "no error");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            IO.TaskFaults.Observe(DisposeInBackgroundAsync());
        }

        base.Dispose(disposing);
    }

    private async Task DisposeInBackgroundAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await CloseAsync(_hops, _logger).ConfigureAwait(false);
    }
}

/// <summary>One connected jump host: where it is in the chain and its connection.</summary>
internal sealed record JumpHop(SshProxyJump Jump, int Index, SshClientConnection Connection);
