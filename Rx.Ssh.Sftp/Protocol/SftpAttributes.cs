using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// The attributes of a file (draft-ietf-secsh-filexfer-02 section 5): every field optional, a null
/// one absent on the wire (and, in a set-attributes request, left unchanged). <see cref="Uid"/> and
/// <see cref="Gid"/> travel together, as do <see cref="AccessTime"/> and <see cref="ModifyTime"/>:
/// a pair is sent only when both are set. Times have whole-second precision (uint32 seconds since 1970).
/// </summary>
public sealed record SftpAttributes
{
    /// <summary>No attribute: the value for "create with the server's defaults" or "change nothing".</summary>
    public static SftpAttributes Empty { get; } = new();

    /// <summary>The size in bytes.</summary>
    public ulong? Size { get; init; }

    /// <summary>The numeric owner.</summary>
    public uint? Uid { get; init; }

    /// <summary>The numeric group.</summary>
    public uint? Gid { get; init; }

    /// <summary>The POSIX mode bits, the file type (<c>S_IFMT</c>) included when the server reports them.</summary>
    public uint? Permissions { get; init; }

    /// <summary>The last access time.</summary>
    public DateTimeOffset? AccessTime { get; init; }

    /// <summary>The last modification time.</summary>
    public DateTimeOffset? ModifyTime { get; init; }

    /// <summary>Extended attributes: (type, data) pairs, the type named like <c>name@domain</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>>? Extended { get; init; }

    /// <summary>The file type from <see cref="Permissions"/>, <see cref="SftpFileType.Unknown"/> when absent.</summary>
    public SftpFileType FileType => Permissions is uint mode ? (SftpFileType)(mode & 0xF000) switch
    {
        SftpFileType.Regular => SftpFileType.Regular,
        SftpFileType.Directory => SftpFileType.Directory,
        SftpFileType.SymbolicLink => SftpFileType.SymbolicLink,
        SftpFileType.CharacterDevice => SftpFileType.CharacterDevice,
        SftpFileType.BlockDevice => SftpFileType.BlockDevice,
        SftpFileType.Fifo => SftpFileType.Fifo,
        SftpFileType.Socket => SftpFileType.Socket,
        _ => SftpFileType.Unknown,
    } : SftpFileType.Unknown;

    /// <summary>Whether <see cref="Permissions"/> says directory.</summary>
    public bool IsDirectory => FileType == SftpFileType.Directory;

    /// <summary>Whether <see cref="Permissions"/> says regular file.</summary>
    public bool IsRegularFile => FileType == SftpFileType.Regular;

    /// <summary>Whether <see cref="Permissions"/> says symbolic link.</summary>
    public bool IsSymbolicLink => FileType == SftpFileType.SymbolicLink;

    internal SftpAttributeFlags Flags
    {
        get
        {
            SftpAttributeFlags flags = SftpAttributeFlags.None;
            if (Size.HasValue)
            {
                flags |= SftpAttributeFlags.Size;
            }

            if (Uid.HasValue && Gid.HasValue)
            {
                flags |= SftpAttributeFlags.UidGid;
            }

            if (Permissions.HasValue)
            {
                flags |= SftpAttributeFlags.Permissions;
            }

            if (AccessTime.HasValue && ModifyTime.HasValue)
            {
                flags |= SftpAttributeFlags.AccessModifyTime;
            }

            if (Extended is { Count: > 0 })
            {
                flags |= SftpAttributeFlags.Extended;
            }

            return flags;
        }
    }

    /// <summary>Writes the ATTRS structure.</summary>
    /// <param name="writer">The packet.</param>
    internal void Write(SftpPacketWriter writer)
    {
        SftpAttributeFlags flags = Flags;
        writer.WriteUInt32((uint)flags);
        if (flags.HasFlag(SftpAttributeFlags.Size))
        {
            writer.WriteUInt64(Size!.Value);
        }

        if (flags.HasFlag(SftpAttributeFlags.UidGid))
        {
            writer.WriteUInt32(Uid!.Value);
            writer.WriteUInt32(Gid!.Value);
        }

        if (flags.HasFlag(SftpAttributeFlags.Permissions))
        {
            writer.WriteUInt32(Permissions!.Value);
        }

        if (flags.HasFlag(SftpAttributeFlags.AccessModifyTime))
        {
            writer.WriteUInt32(ToWire(AccessTime!.Value));
            writer.WriteUInt32(ToWire(ModifyTime!.Value));
        }

        if (flags.HasFlag(SftpAttributeFlags.Extended))
        {
            writer.WriteUInt32((uint)Extended!.Count);
            foreach (KeyValuePair<string, byte[]> pair in Extended)
            {
                writer.WriteString(pair.Key);
                writer.WriteBytes(pair.Value);
            }
        }
    }

    /// <summary>Reads an ATTRS structure.</summary>
    /// <param name="reader">The packet.</param>
    /// <returns>The attributes.</returns>
    /// <exception cref="SftpProtocolException">Unknown flag bits, truncated fields, an extended count larger than the packet.</exception>
    internal static SftpAttributes Read(ref SftpPacketReader reader)
    {
        var flags = (SftpAttributeFlags)reader.ReadUInt32();
        if ((flags & ~SftpAttributeFlags.Known) != 0)
        {
            SftpPacketReader.Fail($"unknown attribute flags 0x{(uint)flags:x8}");
        }

        if (flags == SftpAttributeFlags.None)
        {
            return Empty;
        }

        ulong? size = flags.HasFlag(SftpAttributeFlags.Size) ? reader.ReadUInt64() : null;
        uint? uid = null, gid = null;
        if (flags.HasFlag(SftpAttributeFlags.UidGid))
        {
            uid = reader.ReadUInt32();
            gid = reader.ReadUInt32();
        }

        uint? permissions = flags.HasFlag(SftpAttributeFlags.Permissions) ? reader.ReadUInt32() : null;
        DateTimeOffset? atime = null, mtime = null;
        if (flags.HasFlag(SftpAttributeFlags.AccessModifyTime))
        {
            atime = DateTimeOffset.FromUnixTimeSeconds(reader.ReadUInt32());
            mtime = DateTimeOffset.FromUnixTimeSeconds(reader.ReadUInt32());
        }

        List<KeyValuePair<string, byte[]>>? extended = null;
        if (flags.HasFlag(SftpAttributeFlags.Extended))
        {
            uint count = reader.ReadUInt32();

            // Each pair takes at least its two length fields: a count the packet cannot hold is a lie.
            if (count > (uint)reader.Remaining / 8)
            {
                SftpPacketReader.Fail($"{count} extended attributes in {reader.Remaining} bytes");
            }

            extended = new List<KeyValuePair<string, byte[]>>((int)count);
            for (uint i = 0; i < count; i++)
            {
                string type = reader.ReadString();
                byte[] data = reader.ReadBytes().ToArray();
                extended.Add(new KeyValuePair<string, byte[]>(type, data));
            }
        }

        return new SftpAttributes
        {
            Size = size,
            Uid = uid,
            Gid = gid,
            Permissions = permissions,
            AccessTime = atime,
            ModifyTime = mtime,
            Extended = extended,
        };
    }

    private static uint ToWire(DateTimeOffset time)
    {
        long seconds = time.ToUnixTimeSeconds();
        return seconds < 0 ? 0u : seconds > uint.MaxValue ? uint.MaxValue : (uint)seconds;
    }
}
