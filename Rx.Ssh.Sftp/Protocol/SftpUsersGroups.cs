namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// The <c>users-groups-by-id@openssh.com</c> request and reply (see
/// <see cref="SftpExtensionNames.UsersGroupsById"/>): id lists packed as uint32s inside a string,
/// name lists packed as strings inside a string, one name per id in order (empty when unknown).
/// </summary>
internal static class SftpUsersGroups
{
    /// <summary>Writes the request's two id lists.</summary>
    /// <param name="writer">The packet.</param>
    /// <param name="uids">User ids.</param>
    /// <param name="gids">Group ids.</param>
    public static void WriteRequest(SftpPacketWriter writer, IReadOnlyList<uint> uids, IReadOnlyList<uint> gids)
    {
        WriteIds(writer, uids);
        WriteIds(writer, gids);
    }

    /// <summary>Reads the request's two id lists, to the end of the packet.</summary>
    /// <param name="reader">The packet.</param>
    /// <returns>The ids.</returns>
    public static (uint[] Uids, uint[] Gids) ReadRequest(ref SftpPacketReader reader)
    {
        uint[] uids = ReadIds(ref reader);
        uint[] gids = ReadIds(ref reader);
        reader.ReadEnd();
        return (uids, gids);
    }

    /// <summary>Writes the reply's two name lists.</summary>
    /// <param name="writer">The packet.</param>
    /// <param name="userNames">One per requested uid.</param>
    /// <param name="groupNames">One per requested gid.</param>
    public static void WriteReply(SftpPacketWriter writer, IReadOnlyList<string> userNames, IReadOnlyList<string> groupNames)
    {
        WriteNames(writer, userNames);
        WriteNames(writer, groupNames);
    }

    /// <summary>Reads the reply's two name lists, to the end of the packet.</summary>
    /// <param name="reader">The packet.</param>
    /// <returns>The names.</returns>
    public static (List<string> UserNames, List<string> GroupNames) ReadReply(ref SftpPacketReader reader)
    {
        List<string> users = ReadNames(ref reader);
        List<string> groups = ReadNames(ref reader);
        reader.ReadEnd();
        return (users, groups);
    }

    private static void WriteIds(SftpPacketWriter writer, IReadOnlyList<uint> ids)
    {
        writer.WriteUInt32((uint)(ids.Count * 4));
        foreach (uint id in ids)
        {
            writer.WriteUInt32(id);
        }
    }

    private static uint[] ReadIds(ref SftpPacketReader reader)
    {
        var inner = new SftpPacketReader(reader.ReadBytes());
        if (inner.Remaining % 4 != 0)
        {
            SftpPacketReader.Fail($"id list of {inner.Remaining} bytes (not a multiple of 4)");
        }

        uint[] ids = new uint[inner.Remaining / 4];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = inner.ReadUInt32();
        }

        return ids;
    }

    private static void WriteNames(SftpPacketWriter writer, IReadOnlyList<string> names)
    {
        using var inner = new SftpPacketWriter(SftpPacketType.ExtendedReply);
        foreach (string name in names)
        {
            inner.WriteString(name);
        }

        // The inner writer's first five bytes are its own length field and type byte.
        writer.WriteBytes(inner.Finish().Span[(SftpFraming.LengthFieldSize + 1)..]);
    }

    private static List<string> ReadNames(ref SftpPacketReader reader)
    {
        var inner = new SftpPacketReader(reader.ReadBytes());
        var names = new List<string>();
        while (inner.Remaining > 0)
        {
            names.Add(inner.ReadString());
        }

        return names;
    }
}
