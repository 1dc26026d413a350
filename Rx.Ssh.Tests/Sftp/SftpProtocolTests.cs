using System.Buffers;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>The SFTP v3 protocol layer: round trips of every structure both roles use, and malformed input refused with <see cref="SftpProtocolException"/>.</summary>
public sealed class SftpProtocolTests
{
    [Fact]
    public void Writer_frames_with_length_and_type_and_reader_reads_every_field_back()
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Open, 42);
        w.WritePath("/tmp/é");
        w.WriteUInt32((uint)(SftpOpenFlags.Read | SftpOpenFlags.Create));
        w.WriteUInt64(0x0102030405060708);
        w.WriteBytes([1, 2, 3]);
        byte[] packet = w.Finish().ToArray();

        Assert.Equal((uint)(packet.Length - 4), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet));
        var r = new SftpPacketReader(packet.AsSpan(4));
        Assert.Equal((byte)SftpPacketType.Open, r.ReadByte());
        Assert.Equal(42u, r.ReadUInt32());
        Assert.Equal("/tmp/é", r.ReadPath());
        Assert.Equal(9u, r.ReadUInt32());
        Assert.Equal(0x0102030405060708ul, r.ReadUInt64());
        Assert.Equal([1, 2, 3], r.ReadBytes().ToArray());
        r.ReadEnd();
    }

    [Fact]
    public void Writer_grows_past_its_first_buffer_and_refuses_a_packet_above_the_maximum()
    {
        using var w = new SftpPacketWriter(SftpPacketType.Data, maxPacketLength: 100_000, capacity: 16);
        w.WriteBytes(new byte[50_000]);
        Assert.Equal(4 + 1 + 4 + 50_000, w.Finish().Length);
        Assert.Throws<SftpProtocolException>(() => w.WriteBytes(new byte[50_000]));
    }

    [Fact]
    public void Reserved_bytes_filled_in_place_become_a_string()
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Write, 7);
        Memory<byte> space = w.ReserveBytes(10);
        space.Span[..3].Fill(9);
        w.CommitBytes(3);
        var r = new SftpPacketReader(w.Finish().Span[5..]);
        Assert.Equal(7u, r.ReadUInt32());
        Assert.Equal([9, 9, 9], r.ReadBytes().ToArray());
        r.ReadEnd();
    }

    [Fact]
    public void Writer_refuses_paths_with_nul()
    {
        using var w = new SftpPacketWriter(SftpPacketType.Stat);
        Assert.Throws<ArgumentException>(() => w.WritePath("a\0b"));
    }

    [Fact]
    public void Attributes_round_trip_with_every_field_and_with_none()
    {
        var full = new SftpAttributes
        {
            Size = 123456789012,
            Uid = 1000,
            Gid = 100,
            Permissions = 0x81A4,
            AccessTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            ModifyTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_001),
            Extended = [new("a@b", [1, 2]), new("c@d", [])],
        };

        SftpAttributes back = RoundTrip(full);
        Assert.Equal(full.Size, back.Size);
        Assert.Equal(full.Uid, back.Uid);
        Assert.Equal(full.Gid, back.Gid);
        Assert.Equal(full.Permissions, back.Permissions);
        Assert.Equal(full.AccessTime, back.AccessTime);
        Assert.Equal(full.ModifyTime, back.ModifyTime);
        Assert.Equal(["a@b", "c@d"], back.Extended!.Select(p => p.Key));
        Assert.Equal([1, 2], back.Extended![0].Value);
        Assert.True(back.IsRegularFile);
        Assert.Equal(SftpAttributes.Empty, RoundTrip(SftpAttributes.Empty));
    }

    [Fact]
    public void Attributes_send_a_pair_only_when_both_halves_are_set()
    {
        SftpAttributes back = RoundTrip(new SftpAttributes { Uid = 5, ModifyTime = DateTimeOffset.UnixEpoch, Permissions = 0x41ED });
        Assert.Null(back.Uid);
        Assert.Null(back.ModifyTime);
        Assert.True(back.IsDirectory);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0x10 })] // unknown flag bit
    [InlineData(new byte[] { 0, 0, 0, 1, 0, 0, 0 })] // truncated size
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff })] // extended count larger than the packet
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0x61 })] // extended type length lies
    public void Malformed_attributes_are_refused(byte[] body)
    {
        Assert.Throws<SftpProtocolException>(() =>
        {
            var r = new SftpPacketReader(body);
            SftpAttributes.Read(ref r);
        });
    }

    [Fact]
    public void Reader_refuses_lying_lengths_truncation_trailing_bytes_invalid_utf8_and_nul_paths()
    {
        Assert.Throws<SftpProtocolException>(() => new SftpPacketReader([0, 0, 0, 5, 1, 2]).ReadBytes().Length);
        Assert.Throws<SftpProtocolException>(() => new SftpPacketReader([0, 0, 1]).ReadUInt32());
        Assert.Throws<SftpProtocolException>(() => new SftpPacketReader([0, 0, 0, 0, 0, 0, 0]).ReadUInt64());
        Assert.Throws<SftpProtocolException>(() =>
        {
            var r = new SftpPacketReader([0, 0, 0, 1, 7]);
            r.ReadUInt32();
            r.ReadEnd();
        });
        Assert.Throws<SftpProtocolException>(() => new SftpPacketReader([0, 0, 0, 2, 0xC3, 0x28]).ReadString());
        Assert.Throws<SftpProtocolException>(() => new SftpPacketReader([0, 0, 0, 3, 0x61, 0, 0x62]).ReadPath());
        Assert.Throws<SftpProtocolException>(() => new SftpPacketReader([0, 0, 1, 1, .. new byte[257]]).ReadBytes(SftpHandle.MaxLength, "handle").Length);
    }

    [Fact]
    public void Framing_takes_whole_packets_and_waits_for_partial_ones()
    {
        byte[] two = [0, 0, 0, 2, 101, 9, 0, 0, 0, 3, 102, 8];
        var buffer = new ReadOnlySequence<byte>(two);
        Assert.True(SftpFraming.TryReadPacket(ref buffer, 1024, out ReadOnlySequence<byte> first));
        Assert.Equal([101, 9], first.ToArray());
        Assert.False(SftpFraming.TryReadPacket(ref buffer, 1024, out _));
        Assert.Equal(two.Length - 6, (int)buffer.Length);
        var tiny = new ReadOnlySequence<byte>(two.AsMemory(0, 3));
        Assert.False(SftpFraming.TryReadPacket(ref tiny, 1024, out _));
    }

    [Fact]
    public void Framing_refuses_zero_and_oversized_lengths_before_buffering()
    {
        var zero = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 0, 1 });
        Assert.Throws<SftpProtocolException>(() => SftpFraming.TryReadPacket(ref zero, 1024, out _));
        var huge = new ReadOnlySequence<byte>(new byte[] { 0x7f, 0xff, 0xff, 0xff });
        Assert.Throws<SftpProtocolException>(() => SftpFraming.TryReadPacket(ref huge, SftpFraming.DefaultMaxPacketLength, out _));
    }

    [Fact]
    public void Hello_round_trips_with_extensions()
    {
        var hello = new SftpHello(3, [new(SftpExtensionNames.Limits, "1"u8.ToArray()), new(SftpExtensionNames.CopyData, "1"u8.ToArray())]);
        using SftpPacketWriter w = hello.ToPacket(SftpPacketType.Version);
        var r = new SftpPacketReader(w.Finish().Span[4..]);
        Assert.Equal((byte)SftpPacketType.Version, r.ReadByte());
        SftpHello back = SftpHello.Read(ref r);
        Assert.Equal(3u, back.Version);
        Assert.Equal([SftpExtensionNames.Limits, SftpExtensionNames.CopyData], back.Extensions.Select(e => e.Key));
    }

    [Fact]
    public void Status_round_trips_and_a_bare_code_is_accepted()
    {
        using var w = new SftpPacketWriter(SftpPacketType.Status);
        new SftpStatusReply(SftpStatusCode.NoSuchFile, "No such file", "en").Write(w);
        var r = new SftpPacketReader(w.Finish().Span[5..]);
        Assert.Equal(new SftpStatusReply(SftpStatusCode.NoSuchFile, "No such file", "en"), SftpStatusReply.Read(ref r));

        var bare = new SftpPacketReader([0, 0, 0, 4]);
        SftpStatusReply status = SftpStatusReply.Read(ref bare);
        Assert.Equal(SftpStatusCode.Failure, status.Code);
        SftpException e = status.ToException();
        Assert.Equal(SftpStatusCode.Failure, e.Code);
        Assert.Equal("Failure", e.Message);
    }

    [Fact]
    public void Names_round_trip_and_a_huge_count_is_refused_without_allocating()
    {
        using var w = new SftpPacketWriter(SftpPacketType.Name);
        SftpNameReply.Write(w, [new SftpName("a", "-rw a", new SftpAttributes { Size = 1 }), new SftpName("b", "", SftpAttributes.Empty)]);
        var r = new SftpPacketReader(w.Finish().Span[5..]);
        List<SftpName> names = SftpNameReply.Read(ref r);
        Assert.Equal(["a", "b"], names.Select(n => n.FileName));
        Assert.Equal(1ul, names[0].Attributes.Size);

        Assert.Throws<SftpProtocolException>(() =>
        {
            var lying = new SftpPacketReader([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
            SftpNameReply.Read(ref lying);
        });
    }

    [Fact]
    public void Extension_records_round_trip()
    {
        var vfs = new SftpStatVfs(4096, 4096, 100, 50, 40, 10, 5, 4, 77, SftpStatVfs.ReadOnlyFlag, 255);
        var limits = new SftpLimits(262144, 261120, 261120, 1024);
        var copy = new SftpCopyDataRequest([1], 10, 0, [2, 3], 20);
        using var w = new SftpPacketWriter(SftpPacketType.ExtendedReply);
        vfs.Write(w);
        limits.Write(w);

        var r = new SftpPacketReader(w.Finish().Span[5..]);
        Assert.Equal(vfs, SftpStatVfs.Read(ref r));
        Assert.Equal(limits, SftpLimits.Read(ref r));
        r.ReadEnd();

        using var c = new SftpPacketWriter(SftpPacketType.Extended);
        copy.Write(c);
        var cr = new SftpPacketReader(c.Finish().Span[5..]);
        SftpCopyDataRequest copyBack = SftpCopyDataRequest.Read(ref cr);
        Assert.Equal((10ul, 0ul, 20ul), (copyBack.ReadOffset, copyBack.ReadLength, copyBack.WriteOffset));
        Assert.Equal([2, 3], copyBack.WriteHandle);

        using var u = new SftpPacketWriter(SftpPacketType.Extended);
        SftpUsersGroups.WriteRequest(u, [0, 1000], [100]);
        var ur = new SftpPacketReader(u.Finish().Span[5..]);
        (uint[] uids, uint[] gids) = SftpUsersGroups.ReadRequest(ref ur);
        Assert.Equal([0u, 1000u], uids);
        Assert.Equal([100u], gids);

        using var n = new SftpPacketWriter(SftpPacketType.ExtendedReply);
        SftpUsersGroups.WriteReply(n, ["root", ""], ["users"]);
        var nr = new SftpPacketReader(n.Finish().Span[5..]);
        (List<string> users, List<string> groups) = SftpUsersGroups.ReadReply(ref nr);
        Assert.Equal(["root", ""], users);
        Assert.Equal(["users"], groups);
    }

    [Fact]
    public void A_packed_id_list_of_odd_length_is_refused()
    {
        Assert.Throws<SftpProtocolException>(() =>
        {
            var r = new SftpPacketReader([0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0]);
            SftpUsersGroups.ReadRequest(ref r);
        });
    }

    private static SftpAttributes RoundTrip(SftpAttributes attributes)
    {
        using var w = new SftpPacketWriter(SftpPacketType.Attrs);
        attributes.Write(w);
        var r = new SftpPacketReader(w.Finish().Span[5..]);
        SftpAttributes back = SftpAttributes.Read(ref r);
        r.ReadEnd();
        return back;
    }
}
