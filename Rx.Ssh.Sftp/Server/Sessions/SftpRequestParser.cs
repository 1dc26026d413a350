using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>
/// Parses one request packet (type byte, id, fields) into an <see cref="SftpRequest"/>, every field
/// checked and trailing bytes refused (<see cref="SftpProtocolException"/>). Unknown types and
/// extensions parse to their type and id only (answered OP_UNSUPPORTED).
/// </summary>
internal static class SftpRequestParser
{
    /// <summary>Whether the packet is long enough to carry an id (type byte + uint32); the id when it is.</summary>
    public static bool TryReadId(ReadOnlySpan<byte> packet, out uint id)
    {
        id = 0;
        if (packet.Length < 5)
        {
            return false;
        }

        id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet[1..]);
        return true;
    }

    /// <summary>Parses <paramref name="packet"/> (type byte first).</summary>
    /// <param name="packet">The packet without its length field.</param>
    /// <param name="memory">The same bytes as memory, for WRITE's data.</param>
    /// <returns>The request.</returns>
    public static SftpRequest Parse(ReadOnlySpan<byte> packet, ReadOnlyMemory<byte> memory)
    {
        var r = new SftpPacketReader(packet);
        var type = (SftpPacketType)r.ReadByte();
        uint id = r.ReadUInt32();
        SftpRequest request;
        switch (type)
        {
            case SftpPacketType.Open:
                {
                    string path = r.ReadPath();
                    uint flags = r.ReadUInt32();
                    request = new SftpRequest { Type = type, Id = id, Path = path, Flags = flags, Attributes = SftpAttributes.Read(ref r) };
                    break;
                }

            case SftpPacketType.Close or SftpPacketType.Fstat or SftpPacketType.Readdir:
                request = new SftpRequest { Type = type, Id = id, Handle = SftpHandle.Read(ref r) };
                break;

            case SftpPacketType.Read:
                {
                    byte[] handle = SftpHandle.Read(ref r);
                    ulong offset = r.ReadUInt64();
                    request = new SftpRequest { Type = type, Id = id, Handle = handle, Offset = offset, Length = r.ReadUInt32() };
                    break;
                }

            case SftpPacketType.Write:
                {
                    byte[] handle = SftpHandle.Read(ref r);
                    ulong offset = r.ReadUInt64();
                    int start = packet.Length - r.Remaining + 4;
                    int length = r.ReadBytes().Length;
                    request = new SftpRequest { Type = type, Id = id, Handle = handle, Offset = offset, Data = memory.Slice(start, length) };
                    break;
                }

            case SftpPacketType.Fsetstat:
                {
                    byte[] handle = SftpHandle.Read(ref r);
                    request = new SftpRequest { Type = type, Id = id, Handle = handle, Attributes = SftpAttributes.Read(ref r) };
                    break;
                }

            case SftpPacketType.Lstat or SftpPacketType.Stat or SftpPacketType.Opendir or SftpPacketType.Remove
                or SftpPacketType.Rmdir or SftpPacketType.Realpath or SftpPacketType.Readlink:
                request = new SftpRequest { Type = type, Id = id, Path = r.ReadPath() };

                // Version 3 REALPATH has no more fields; later drafts' control byte is tolerated by OpenSSH, not here.
                break;

            case SftpPacketType.Setstat or SftpPacketType.Mkdir:
                {
                    string path = r.ReadPath();
                    request = new SftpRequest { Type = type, Id = id, Path = path, Attributes = SftpAttributes.Read(ref r) };
                    break;
                }

            case SftpPacketType.Rename or SftpPacketType.Symlink:
                {
                    string path = r.ReadPath();
                    request = new SftpRequest { Type = type, Id = id, Path = path, Path2 = r.ReadPath() };
                    break;
                }

            case SftpPacketType.Extended:
                return ParseExtended(ref r, id);

            default:
                return new SftpRequest { Type = type, Id = id };
        }

        r.ReadEnd();
        return request;
    }

    private static SftpRequest ParseExtended(ref SftpPacketReader r, uint id)
    {
        const SftpPacketType type = SftpPacketType.Extended;
        string name = r.ReadString();
        SftpRequest request;
        switch (name)
        {
            case SftpExtensionNames.PosixRename or SftpExtensionNames.Hardlink:
                {
                    string path = r.ReadPath();
                    request = new SftpRequest { Type = type, Id = id, Extension = name, Path = path, Path2 = r.ReadPath() };
                    break;
                }

            case SftpExtensionNames.StatVfs or SftpExtensionNames.ExpandPath:
                request = new SftpRequest { Type = type, Id = id, Extension = name, Path = r.ReadPath() };
                break;

            case SftpExtensionNames.HomeDirectory:
                request = new SftpRequest { Type = type, Id = id, Extension = name, Path = r.ReadString() };
                break;

            case SftpExtensionNames.FStatVfs or SftpExtensionNames.Fsync:
                request = new SftpRequest { Type = type, Id = id, Extension = name, Handle = SftpHandle.Read(ref r) };
                break;

            case SftpExtensionNames.LSetStat:
                {
                    string path = r.ReadPath();
                    request = new SftpRequest { Type = type, Id = id, Extension = name, Path = path, Attributes = SftpAttributes.Read(ref r) };
                    break;
                }

            case SftpExtensionNames.Limits:
                request = new SftpRequest { Type = type, Id = id, Extension = name };
                break;

            case SftpExtensionNames.CopyData:
                {
                    SftpCopyDataRequest copy = SftpCopyDataRequest.Read(ref r);
                    return new SftpRequest
                    {
                        Type = type,
                        Id = id,
                        Extension = name,
                        Handle = copy.ReadHandle,
                        Offset = copy.ReadOffset,
                        Length = copy.ReadLength,
                        Handle2 = copy.WriteHandle,
                        Offset2 = copy.WriteOffset,
                    };
                }

            case SftpExtensionNames.UsersGroupsById:
                {
                    (uint[] uids, uint[] gids) = SftpUsersGroups.ReadRequest(ref r);
                    return new SftpRequest { Type = type, Id = id, Extension = name, UserIds = uids, GroupIds = gids };
                }

            default:
                // Unknown extension: its fields are not ours to check.
                return new SftpRequest { Type = type, Id = id, Extension = name };
        }

        r.ReadEnd();
        return request;
    }
}
