namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// The body of a STATUS reply after the id: <c>uint32 code, string message, string language</c>.
/// Version 3 servers that end the packet after the code are accepted (message and language empty).
/// </summary>
/// <param name="Code">The status.</param>
/// <param name="Message">The human-readable message.</param>
/// <param name="Language">The message's language tag (RFC 1766), usually empty.</param>
internal readonly record struct SftpStatusReply(SftpStatusCode Code, string Message, string Language)
{
    /// <summary>Writes the body after the id.</summary>
    /// <param name="writer">The packet.</param>
    public void Write(SftpPacketWriter writer)
    {
        writer.WriteUInt32((uint)Code);
        writer.WriteString(Message);
        writer.WriteString(Language);
    }

    /// <summary>Reads the body after the id, to the end of the packet.</summary>
    /// <param name="reader">The body.</param>
    /// <returns>The status.</returns>
    public static SftpStatusReply Read(ref SftpPacketReader reader)
    {
        var code = (SftpStatusCode)reader.ReadUInt32();
        if (reader.Remaining == 0)
        {
            return new SftpStatusReply(code, string.Empty, string.Empty);
        }

        string message = reader.ReadString();
        string language = reader.Remaining == 0 ? string.Empty : reader.ReadString();
        reader.ReadEnd();
        return new SftpStatusReply(code, message, language);
    }

    /// <summary>The exception for a failure status.</summary>
    /// <returns>The exception.</returns>
    public SftpException ToException() => new(Code, Message);
}
