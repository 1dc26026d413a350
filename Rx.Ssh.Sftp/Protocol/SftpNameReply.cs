namespace Rx.Ssh.Sftp.Protocol;

/// <summary>The body of a NAME reply after the id: <c>uint32 count</c>, then count entries.</summary>
internal static class SftpNameReply
{
    // Each entry takes at least two string lengths and the attribute flags.
    private const int MinEntrySize = 12;

    /// <summary>Writes the body after the id.</summary>
    /// <param name="writer">The packet.</param>
    /// <param name="names">The entries.</param>
    public static void Write(SftpPacketWriter writer, IReadOnlyList<SftpName> names)
    {
        writer.WriteUInt32((uint)names.Count);
        foreach (SftpName name in names)
        {
            name.Write(writer);
        }
    }

    /// <summary>Reads the body after the id, to the end of the packet.</summary>
    /// <param name="reader">The body.</param>
    /// <returns>The entries.</returns>
    public static List<SftpName> Read(ref SftpPacketReader reader)
    {
        uint count = reader.ReadUInt32();
        if (count > (uint)(reader.Remaining / MinEntrySize))
        {
            SftpPacketReader.Fail($"{count} names in {reader.Remaining} bytes");
        }

        var names = new List<SftpName>((int)count);
        for (uint i = 0; i < count; i++)
        {
            names.Add(SftpName.Read(ref reader));
        }

        reader.ReadEnd();
        return names;
    }
}
