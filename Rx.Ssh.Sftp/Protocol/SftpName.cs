using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// One entry of an SFTP NAME reply (draft-ietf-secsh-filexfer-02 section 7): a directory entry
/// from READDIR, or the single answer of REALPATH, READLINK and the path extensions.
/// </summary>
/// <param name="FileName">The file name (a directory entry's name; a full path for REALPATH).</param>
/// <param name="LongName">An <c>ls -l</c> style line for display; its format is not specified, do not parse it.</param>
/// <param name="Attributes">The attributes (empty for REALPATH on most servers).</param>
public sealed record SftpName(string FileName, string LongName, SftpAttributes Attributes)
{
    internal void Write(SftpPacketWriter writer)
    {
        writer.WritePath(FileName);
        writer.WriteString(LongName);
        Attributes.Write(writer);
    }

    internal static SftpName Read(ref SftpPacketReader reader)
    {
        string fileName = reader.ReadPath();
        string longName = reader.ReadString();
        SftpAttributes attributes = SftpAttributes.Read(ref reader);
        return new SftpName(fileName, longName, attributes);
    }
}
