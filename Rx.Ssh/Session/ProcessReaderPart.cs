using System.Buffers;

namespace Rx.Ssh.Session;

/// <summary>
/// The role's half of an <see cref="SshProcessReader"/>: how one incoming stream of a session
/// channel is read. A client process's stdout and stderr are raw bytes
/// (<see cref="ByteReaderPart"/>); a server process's stdin is text that may pass through the line
/// editor (the server's part). The reader claims the stream (<see cref="Enter"/>) around each
/// call; the <c>*Core</c> members run inside that claim.
/// </summary>
internal abstract class ProcessReaderPart
{
    /// <summary>The stream's name in messages (<c>stdout</c>, <c>stderr</c>, <c>stdin</c>).</summary>
    public abstract string Name { get; }

    /// <summary>True once the end of the stream was read and nothing is left.</summary>
    public abstract bool AtEnd { get; }

    /// <summary>Claims the stream for one read or subscription (see <see cref="ChannelInput.Enter"/>).</summary>
    public abstract ChannelInput.Lease Enter();

    /// <summary>Reads bytes (at least one unless at the end); 0 at the end.</summary>
    public abstract ValueTask<int> ReadBytesCoreAsync(Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="maxChars"/> characters as soon as any are there; empty at the end.</summary>
    public abstract ValueTask<string> ReadTextCoreAsync(int maxChars, CancellationToken cancellationToken);

    /// <summary>Reads one line without its ending (the role's line cap applies); null at the end.</summary>
    public abstract ValueTask<string?> ReadLineCoreAsync(CancellationToken cancellationToken);

    /// <summary>The next chunk of bytes, copied into its own array; empty at the end.</summary>
    public virtual async ValueTask<ReadOnlyMemory<byte>> ReadChunkCoreAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int n = await ReadBytesCoreAsync(buffer, cancellationToken).ConfigureAwait(false);
            return n == 0 ? ReadOnlyMemory<byte>.Empty : buffer.AsSpan(0, n).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies everything up to the end into <paramref name="destination"/>, each write awaited before the next read.</summary>
    public virtual async Task CopyToCoreAsync(Stream destination, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int n;
            while ((n = await ReadBytesCoreAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads and drops everything up to the end.</summary>
    public virtual async Task DiscardCoreAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (await ReadBytesCoreAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A redirection or capture will read this stream: keep exact back-pressure from now on (nothing to do where it is exact from the start).</summary>
    public virtual void MarkRead()
    {
    }
}
