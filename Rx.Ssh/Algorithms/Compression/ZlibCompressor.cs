using System.IO.Compression;

namespace Rx.Ssh.Algorithms.Compression;

/// <summary>
/// Outgoing <c>zlib</c> / <c>zlib@openssh.com</c> compression (RFC 4253 section 6.2): one zlib
/// stream per direction for the life of the connection, each payload ended with a sync flush so
/// the peer can inflate it on its own. Used by the transport's single writer; not thread-safe.
/// </summary>
internal sealed class ZlibCompressor : IDisposable
{
    private readonly MemoryStream _sink = new(16 * 1024);
    private readonly ZLibStream _zlib;

    public ZlibCompressor(CompressionLevel level = CompressionLevel.Fastest) => _zlib = new ZLibStream(_sink, level, leaveOpen: true);

    /// <summary>Compresses one payload; the result is valid until the next call.</summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> payload)
    {
        _sink.SetLength(0);
        _zlib.Write(payload);
        _zlib.Flush(); // Z_SYNC_FLUSH: everything so far is emitted, byte-aligned, stream stays open.
        return _sink.GetBuffer().AsSpan(0, (int)_sink.Length);
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _sink.Dispose();
    }
}
