namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// The body of INIT (client) and VERSION (server): <c>uint32 version</c> then extension pairs
/// <c>string name, string data</c> to the end of the packet. No request id.
/// </summary>
/// <param name="Version">The protocol version (3 for both roles here).</param>
/// <param name="Extensions">The extension pairs, in order; data is usually a version number in ASCII.</param>
internal sealed record SftpHello(uint Version, IReadOnlyList<KeyValuePair<string, byte[]>> Extensions)
{
    /// <summary>The SFTP version spoken: 3.</summary>
    public const uint ProtocolVersion = 3;

    /// <summary>The most extension pairs accepted in one hello.</summary>
    public const int MaxExtensions = 256;

    /// <summary>Encodes an INIT or VERSION packet.</summary>
    /// <param name="type">INIT or VERSION.</param>
    /// <returns>The packet writer, owned by the caller.</returns>
    public SftpPacketWriter ToPacket(SftpPacketType type)
    {
        var writer = new SftpPacketWriter(type);
        try
        {
            writer.WriteUInt32(Version);
            foreach (KeyValuePair<string, byte[]> pair in Extensions)
            {
                writer.WriteString(pair.Key);
                writer.WriteBytes(pair.Value);
            }

            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Decodes the body after the type byte.</summary>
    /// <param name="reader">The body.</param>
    /// <returns>The hello.</returns>
    public static SftpHello Read(ref SftpPacketReader reader)
    {
        uint version = reader.ReadUInt32();
        var extensions = new List<KeyValuePair<string, byte[]>>();
        while (reader.Remaining > 0)
        {
            if (extensions.Count == MaxExtensions)
            {
                SftpPacketReader.Fail($"more than {MaxExtensions} extensions");
            }

            string name = reader.ReadString();
            byte[] data = reader.ReadBytes().ToArray();
            extensions.Add(new KeyValuePair<string, byte[]>(name, data));
        }

        return new SftpHello(version, extensions);
    }
}
