using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// What a server accepts, the reply to <c>limits@openssh.com</c>: four uint64, each 0 when the
/// server sets no limit. OpenSSH's sftp-server answers 256 KiB, 255 KiB, 255 KiB and its open-file limit.
/// </summary>
/// <param name="MaxPacketLength">The longest packet (the length field's value) the server reads.</param>
/// <param name="MaxReadLength">The most bytes one READ returns.</param>
/// <param name="MaxWriteLength">The most bytes one WRITE may carry.</param>
/// <param name="MaxOpenHandles">The most handles open at once.</param>
public sealed record SftpLimits(ulong MaxPacketLength, ulong MaxReadLength, ulong MaxWriteLength, ulong MaxOpenHandles)
{
    internal void Write(SftpPacketWriter writer)
    {
        writer.WriteUInt64(MaxPacketLength);
        writer.WriteUInt64(MaxReadLength);
        writer.WriteUInt64(MaxWriteLength);
        writer.WriteUInt64(MaxOpenHandles);
    }

    internal static SftpLimits Read(ref SftpPacketReader reader) => new(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
}
