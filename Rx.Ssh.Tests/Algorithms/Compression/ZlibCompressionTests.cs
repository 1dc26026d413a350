using System.IO.Compression;
using System.Text;
using Rx.Ssh.Algorithms.Compression;

namespace Rx.Ssh.Tests.Algorithms.Compression;

/// <summary>The per-direction zlib streams: sync flush per packet, shared history, bounded inflation.</summary>
public class ZlibCompressionTests
{
    private static readonly byte[] RandomText = Encoding.ASCII.GetBytes(new string([.. Enumerable.Range(0, 600).Select(i => (char)('a' + new Random(i).Next(26)))]));

    private static byte[][] Payloads() =>
    [
        RandomText,
        RandomText,
        [94],
        Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray(),
    ];

    [Fact]
    public void Packets_round_trip_one_at_a_time_and_share_history()
    {
        using var compressor = new ZlibCompressor();
        using var decompressor = new ZlibDecompressor();
        var sizes = new List<int>();
        foreach (byte[] payload in Payloads())
        {
            byte[] compressed = compressor.Compress(payload).ToArray();
            sizes.Add(compressed.Length);
            Assert.Equal(payload, decompressor.Decompress(compressed, 256 * 1024).ToArray());
        }

        // The repeated packet refers back to the first one: one stream, not one per packet.
        Assert.True(sizes[1] < sizes[0] / 2, $"{sizes[0]} then {sizes[1]}");
    }

    [Fact]
    public void The_packets_form_one_zlib_stream_an_independent_inflater_reads()
    {
        using var compressor = new ZlibCompressor();
        var wire = new MemoryStream();
        foreach (byte[] payload in Payloads())
        {
            wire.Write(compressor.Compress(payload));
        }

        wire.Position = 0;
        using var inflater = new ZLibStream(wire, CompressionMode.Decompress);
        var output = new MemoryStream();
        inflater.CopyTo(output);
        Assert.Equal(Payloads().SelectMany(p => p).ToArray(), output.ToArray());
    }

    [Fact]
    public void A_packet_that_inflates_past_the_limit_is_a_protocol_error()
    {
        using var compressor = new ZlibCompressor(CompressionLevel.SmallestSize);
        byte[] bomb = compressor.Compress(new byte[4 * 1024 * 1024]).ToArray();
        Assert.True(bomb.Length < 16 * 1024, bomb.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var decompressor = new ZlibDecompressor();
        var error = Assert.Throws<SshConnectionException>(() => decompressor.Decompress(bomb, 256 * 1024));
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("262144", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_a_protocol_error()
    {
        using var decompressor = new ZlibDecompressor();
        var error = Assert.Throws<SshConnectionException>(() => decompressor.Decompress(new byte[] { 0x12, 0x34, 0x56, 0x78, 0x9a }, 1024));
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
    }
}
