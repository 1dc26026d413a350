using System.Numerics;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Wire;

public sealed class SshReaderWriterTests
{
    [Fact]
    public void Every_type_round_trips()
    {
        using var buffer = new SshBuffer(4);
        SshWriter w = buffer.Writer;
        w.WriteByte(7);
        w.WriteBoolean(true);
        w.WriteUInt32(0xdeadbeef);
        w.WriteUInt64(0x0102030405060708);
        w.WriteString("héllo");
        w.WriteNameList(["a", "b-c@x"]);
        w.WriteMPInt(new BigInteger(-1234567));
        w.WriteMPInt([0x00, 0x80, 0x01]);

        var r = new SshReader(buffer.WrittenSpan);
        Assert.Equal(7, r.ReadByte());
        Assert.True(r.ReadBoolean());
        Assert.Equal(0xdeadbeefu, r.ReadUInt32());
        Assert.Equal(0x0102030405060708ul, r.ReadUInt64());
        Assert.Equal("héllo", r.ReadUtf8String());
        Assert.Equal(["a", "b-c@x"], r.ReadNameList());
        Assert.Equal(new BigInteger(-1234567), r.ReadBigInteger());
        Assert.Equal(new byte[] { 0x80, 0x01 }, r.ReadUnsignedMPInt().ToArray());
        r.ReadEnd();
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1 }, "00 00 00 01 01")]
    [InlineData(new byte[] { 0x80 }, "00 00 00 02 00 80")]
    [InlineData(new byte[] { 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7 }, "00 00 00 08 09 a3 78 f9 b2 e3 32 a7")]
    [InlineData(new byte[] { }, "00 00 00 00")]
    public void Mpints_are_encoded_as_rfc4251_shows(byte[] magnitude, string expected)
    {
        using var buffer = new SshBuffer();
        buffer.Writer.WriteMPInt(magnitude);
        Assert.Equal(expected, string.Join(" ", buffer.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void A_lying_string_length_is_a_format_error_not_an_allocation()
    {
        byte[] data = [0x7f, 0xff, 0xff, 0xff, 1, 2, 3];
        Assert.Throws<SshFormatException>(() => new SshReader(data).ReadString());
    }

    [Fact]
    public void Truncated_integers_and_trailing_bytes_are_format_errors()
    {
        Assert.Throws<SshFormatException>(() => new SshReader([1, 2, 3]).ReadUInt32());
        Assert.Throws<SshFormatException>(() =>
        {
            var r = new SshReader([1, 2]);
            r.ReadByte();
            r.ReadEnd();
        });
    }

    [Fact]
    public void Name_lists_reject_empty_names_and_non_ascii()
    {
        using var buffer = new SshBuffer();
        buffer.Writer.WriteString("a,,b");
        Assert.Throws<SshFormatException>(() => new SshReader(buffer.WrittenSpan).ReadNameList());
        buffer.Clear();
        buffer.Writer.WriteString("ä");
        Assert.Throws<SshFormatException>(() => new SshReader(buffer.WrittenSpan).ReadNameList());
    }

    [Fact]
    public void Non_minimal_mpints_are_rejected()
    {
        byte[] data = [0, 0, 0, 2, 0, 0x01];
        Assert.Throws<SshFormatException>(() => new SshReader(data).ReadMPIntBytes());
    }
}
