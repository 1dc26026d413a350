namespace Rx.Ssh.Sftp.Protocol;

/// <summary>Handles: opaque server strings of at most 256 bytes (draft-ietf-secsh-filexfer-02 section 6.2).</summary>
internal static class SftpHandle
{
    /// <summary>The longest handle accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>Reads a handle string.</summary>
    /// <param name="reader">The packet.</param>
    /// <returns>The handle bytes (a copy).</returns>
    public static byte[] Read(ref SftpPacketReader reader) => reader.ReadBytes(MaxLength, "handle").ToArray();
}
