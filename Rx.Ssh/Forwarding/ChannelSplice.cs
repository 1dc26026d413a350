using System.Buffers;
using System.Net.Sockets;

namespace Rx.Ssh.Forwarding;

/// <summary>How one spliced connection ended: bytes each way and the first error, if any.</summary>
/// <param name="BytesToChannel">Bytes read from the socket side and written to the channel.</param>
/// <param name="BytesFromChannel">Bytes read from the channel and written to the socket side.</param>
/// <param name="Error">The first failure of either direction; null when both ended with EOF.</param>
internal readonly record struct SpliceResult(long BytesToChannel, long BytesFromChannel, Exception? Error);

/// <summary>
/// Copies a local connection (a socket's stream) and an SSH channel into each other, as TCP
/// would: EOF in one direction is passed on (socket shutdown for send, or channel EOF) and the
/// other direction keeps going; both ends are closed once both directions are done or one fails.
/// Flow control is the channel's: the channel side reads only as fast as the socket takes the
/// data, and the socket side writes only when the channel has window, so memory stays at one
/// buffer per direction.
/// </summary>
internal static class ChannelSplice
{
    /// <summary>One buffer per direction: four full packets, so a socket read or write carries several packets.</summary>
    internal const int BufferSize = 128 * 1024;

    /// <summary>
    /// Splices <paramref name="local"/> and <paramref name="channel"/> until both directions
    /// end; disposes both. <paramref name="shutdownSend"/> half-closes the local side (e.g.
    /// <c>socket.Shutdown(SocketShutdown.Send)</c>); null disposes it instead once the channel's data ends.
    /// </summary>
    public static async Task<SpliceResult> RunAsync(Stream local, SshChannelStream channel, Action? shutdownSend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(channel);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var toChannel = new Counter();
        var fromChannel = new Counter();
        Exception? error = null;

        async Task Pump(Stream from, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, Func<ValueTask> eof, Counter counter)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int n;
                while ((n = await from.ReadAsync(buffer, failed.Token).ConfigureAwait(false)) > 0)
                {
                    await write(buffer.AsMemory(0, n), failed.Token).ConfigureAwait(false);
                    counter.Bytes += n;
                }

                await eof().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref error, ex, null);
                await failed.CancelAsync().ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        Task up = Pump(local, (m, ct) => channel.WriteAsync(m, ct), () => channel.CompleteWritingAsync(failed.Token), toChannel);
        Task down = Pump(channel, (m, ct) => local.WriteAsync(m, ct), () =>
        {
            if (shutdownSend is null)
            {
                return local.DisposeAsync();
            }

            shutdownSend();
            return ValueTask.CompletedTask;
        }, fromChannel);

        await Task.WhenAll(up, down).ConfigureAwait(false);
        await channel.DisposeAsync().ConfigureAwait(false);
        await local.DisposeAsync().ConfigureAwait(false);
        Exception? first = Volatile.Read(ref error);
        if (first is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            first = null; // stopped by the owner, not a failure of the connection
        }

        return new SpliceResult(toChannel.Bytes, fromChannel.Bytes, first);
    }

    /// <summary><see cref="RunAsync(Stream, SshChannelStream, Action?, CancellationToken)"/> for a connected socket, half-closed with <see cref="Socket.Shutdown"/>.</summary>
    public static Task<SpliceResult> RunAsync(Socket socket, SshChannelStream channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);

        // Channel data goes to a socket write that completes at once or awaits: nothing blocks, so
        // the copy may go on on the dispatch loop as each packet arrives.
        channel.InlineReadContinuations = true;
        return RunAsync(new NetworkStream(socket, ownsSocket: true), channel, () => ShutdownQuietly(socket), cancellationToken);
    }

    private static void ShutdownQuietly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer has gone; the other direction will see it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed class Counter
    {
        public long Bytes;
    }
}
