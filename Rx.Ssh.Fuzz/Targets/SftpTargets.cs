using Rx.Ssh.Fuzz.Engine;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Sftp.Server.Sessions;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>SFTP packets both ways: requests as our server parses them, replies as our client parses them.</summary>
internal static class SftpTargets
{
    private static readonly SftpAttributes Attributes = new()
    {
        Size = 1234,
        Uid = 1000,
        Gid = 1000,
        Permissions = 0x81A4,
        AccessTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        ModifyTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_001),
        Extended = [new("x@example.com", [1, 2, 3])],
    };

    /// <summary>Every request type our server parses, as a client would send it (without the length field).</summary>
    public static FuzzTarget Requests() => new DelegateTarget(
        "sftp-request",
        RequestSeeds,
        input => SftpRequestParser.Parse(input, input));

    /// <summary>Every reply our client parses: the type byte chooses the reader, as the client's dispatch does.</summary>
    public static FuzzTarget Replies() => new DelegateTarget("sftp-reply", ReplySeeds, ParseReply);

    private static void ParseReply(byte[] input)
    {
        var r = new SftpPacketReader(input);
        var type = (SftpPacketType)r.ReadByte();
        if (type == SftpPacketType.Version)
        {
            SftpHello.Read(ref r);
            return;
        }

        r.ReadUInt32();
        switch (type)
        {
            case SftpPacketType.Status:
                SftpStatusReply.Read(ref r);
                break;
            case SftpPacketType.Handle:
                SftpHandle.Read(ref r);
                r.ReadEnd();
                break;
            case SftpPacketType.Name:
                SftpNameReply.Read(ref r);
                break;
            case SftpPacketType.Attrs:
                SftpAttributes.Read(ref r);
                r.ReadEnd();
                break;
            case SftpPacketType.ExtendedReply:
                // The client knows which extension it asked; try each extended reply layout.
                ReadEach(input, static (ref SftpPacketReader x) => SftpStatVfs.Read(ref x));
                ReadEach(input, static (ref SftpPacketReader x) => SftpLimits.Read(ref x));
                ReadEach(input, static (ref SftpPacketReader x) => SftpUsersGroups.ReadReply(ref x));
                break;
            default:
                r.ReadBytes();
                break;
        }
    }

    private delegate void Reader(ref SftpPacketReader reader);

    private static void ReadEach(byte[] input, Reader read)
    {
        try
        {
            var r = new SftpPacketReader(input);
            r.ReadByte();
            r.ReadUInt32();
            read(ref r);
        }
        catch (SftpProtocolException)
        {
            // This layout does not fit; the next one may.
        }
    }

    private static byte[] Packet(SftpPacketType type, Action<SftpPacketWriter> fields, bool withId = true)
    {
        using SftpPacketWriter writer = withId ? SftpPacketWriter.WithId(type, 42) : new SftpPacketWriter(type);
        fields(writer);
        return writer.Finish()[SftpFraming.LengthFieldSize..].ToArray();
    }

    private static IEnumerable<byte[]> RequestSeeds()
    {
        yield return Packet(SftpPacketType.Init, w => w.WriteUInt32(3), withId: false);
        yield return Packet(SftpPacketType.Open, w => { w.WritePath("/tmp/file.txt"); w.WriteUInt32(0x1A); Attributes.Write(w); });
        yield return Packet(SftpPacketType.Close, w => w.WriteBytes([0, 0, 0, 1]));
        yield return Packet(SftpPacketType.Read, w => { w.WriteBytes([0, 0, 0, 1]); w.WriteUInt64(65536); w.WriteUInt32(32768); });
        yield return Packet(SftpPacketType.Write, w => { w.WriteBytes([0, 0, 0, 1]); w.WriteUInt64(0); w.WriteBytes(new byte[100]); });
        yield return Packet(SftpPacketType.Setstat, w => { w.WritePath("a"); Attributes.Write(w); });
        yield return Packet(SftpPacketType.Fsetstat, w => { w.WriteBytes([9]); Attributes.Write(w); });
        yield return Packet(SftpPacketType.Opendir, w => w.WritePath("/"));
        yield return Packet(SftpPacketType.Readdir, w => w.WriteBytes([7]));
        yield return Packet(SftpPacketType.Stat, w => w.WritePath("."));
        yield return Packet(SftpPacketType.Rename, w => { w.WritePath("a"); w.WritePath("b"); });
        yield return Packet(SftpPacketType.Symlink, w => { w.WritePath("link"); w.WritePath("../target"); });
        yield return Packet(SftpPacketType.Mkdir, w => { w.WritePath("d"); Attributes.Write(w); });
        foreach (string name in new[] { "posix-rename@openssh.com", "hardlink@openssh.com" })
        {
            yield return Packet(SftpPacketType.Extended, w => { w.WriteString(name); w.WritePath("a"); w.WritePath("b"); });
        }

        foreach (string name in new[] { "statvfs@openssh.com", "expand-path@openssh.com", "home-directory" })
        {
            yield return Packet(SftpPacketType.Extended, w => { w.WriteString(name); w.WritePath("~/x"); });
        }

        yield return Packet(SftpPacketType.Extended, w => { w.WriteString("fsync@openssh.com"); w.WriteBytes([1]); });
        yield return Packet(SftpPacketType.Extended, w => { w.WriteString("limits@openssh.com"); });
        yield return Packet(SftpPacketType.Extended, w => { w.WriteString("lsetstat@openssh.com"); w.WritePath("l"); Attributes.Write(w); });
        yield return Packet(SftpPacketType.Extended, w =>
        {
            w.WriteString("copy-data");
            w.WriteBytes([1]);
            w.WriteUInt64(0);
            w.WriteUInt64(100);
            w.WriteBytes([2]);
            w.WriteUInt64(0);
        });
        yield return Packet(SftpPacketType.Extended, w =>
        {
            w.WriteString("users-groups-by-id@openssh.com");
            w.WriteBytes([0, 0, 0, 0, 0, 0, 3, 232]);
            w.WriteBytes([0, 0, 0, 0]);
        });
    }

    private static IEnumerable<byte[]> ReplySeeds()
    {
        yield return Packet(SftpPacketType.Version, w =>
        {
            w.WriteUInt32(3);
            w.WriteString("posix-rename@openssh.com");
            w.WriteString("1");
            w.WriteString("limits@openssh.com");
            w.WriteString("1");
        }, withId: false);
        yield return Packet(SftpPacketType.Status, w => { w.WriteUInt32(2); w.WriteString("No such file"); w.WriteString("en"); });
        yield return Packet(SftpPacketType.Handle, w => w.WriteBytes([0, 0, 0, 1]));
        yield return Packet(SftpPacketType.Data, w => w.WriteBytes(new byte[64]));
        yield return Packet(SftpPacketType.Name, w =>
        {
            w.WriteUInt32(2);
            for (int i = 0; i < 2; i++)
            {
                w.WriteString("file" + i);
                w.WriteString("-rw-r--r-- 1 u g 1234 Jan 1 00:00 file" + i);
                Attributes.Write(w);
            }
        });
        yield return Packet(SftpPacketType.Attrs, Attributes.Write);
        yield return Packet(SftpPacketType.ExtendedReply, w =>
        {
            for (int i = 0; i < 11; i++)
            {
                w.WriteUInt64((ulong)(i * 4096));
            }
        });
        yield return Packet(SftpPacketType.ExtendedReply, w =>
        {
            w.WriteUInt32(1);
            w.WriteString("root");
            w.WriteUInt32(1);
            w.WriteString("wheel");
        });
    }
}
