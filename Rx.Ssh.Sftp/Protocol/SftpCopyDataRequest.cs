namespace Rx.Ssh.Sftp.Protocol;

/// <summary>The <c>copy-data</c> request after its name (see <see cref="SftpExtensionNames.CopyData"/>).</summary>
/// <param name="ReadHandle">The source file handle.</param>
/// <param name="ReadOffset">Where to start reading.</param>
/// <param name="ReadLength">How many bytes; 0 copies to end of file.</param>
/// <param name="WriteHandle">The destination file handle.</param>
/// <param name="WriteOffset">Where to start writing.</param>
internal sealed record SftpCopyDataRequest(byte[] ReadHandle, ulong ReadOffset, ulong ReadLength, byte[] WriteHandle, ulong WriteOffset)
{
    /// <summary>Writes the fields after the extension name.</summary>
    /// <param name="writer">The packet.</param>
    public void Write(SftpPacketWriter writer)
    {
        writer.WriteBytes(ReadHandle);
        writer.WriteUInt64(ReadOffset);
        writer.WriteUInt64(ReadLength);
        writer.WriteBytes(WriteHandle);
        writer.WriteUInt64(WriteOffset);
    }

    /// <summary>Reads the fields after the extension name, to the end of the packet.</summary>
    /// <param name="reader">The packet.</param>
    /// <returns>The request.</returns>
    public static SftpCopyDataRequest Read(ref SftpPacketReader reader)
    {
        byte[] readHandle = SftpHandle.Read(ref reader);
        ulong readOffset = reader.ReadUInt64();
        ulong readLength = reader.ReadUInt64();
        byte[] writeHandle = SftpHandle.Read(ref reader);
        ulong writeOffset = reader.ReadUInt64();
        reader.ReadEnd();
        return new SftpCopyDataRequest(readHandle, readOffset, readLength, writeHandle, writeOffset);
    }
}
