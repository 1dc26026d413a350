using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>
/// One parsed client request. Only the fields its type carries are set (see <see cref="SftpRequestParser"/>);
/// <see cref="Data"/> (a WRITE's bytes) points into the pooled packet buffer the session returns
/// once the request is answered.
/// </summary>
internal sealed class SftpRequest
{
    public required SftpPacketType Type { get; init; }

    public required uint Id { get; init; }

    /// <summary>The extension name of an EXTENDED request.</summary>
    public string? Extension { get; init; }

    public byte[]? Handle { get; init; }

    /// <summary>copy-data's destination handle.</summary>
    public byte[]? Handle2 { get; init; }

    public string? Path { get; init; }

    public string? Path2 { get; init; }

    public ulong Offset { get; init; }

    /// <summary>READ's length, copy-data's read length.</summary>
    public ulong Length { get; init; }

    /// <summary>copy-data's write offset.</summary>
    public ulong Offset2 { get; init; }

    public uint Flags { get; init; }

    public SftpAttributes? Attributes { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    public uint[]? UserIds { get; init; }

    public uint[]? GroupIds { get; init; }

    /// <summary>A READ's or WRITE's turn to be answered: after the previous one's on the same handle.</summary>
    public Task? AckAfter { get; set; }

    /// <summary>Completed once this READ's or WRITE's reply is sent (the next WRITE's <see cref="AckAfter"/>).</summary>
    public TaskCompletionSource? AckDone { get; set; }

    /// <summary>Whether the request changes names or attributes (ordered before later path requests).</summary>
    public bool ChangesPaths => Type switch
    {
        SftpPacketType.Open => (Flags & (uint)(SftpOpenFlags.Create | SftpOpenFlags.Truncate)) != 0,
        SftpPacketType.Mkdir or SftpPacketType.Rmdir or SftpPacketType.Remove or SftpPacketType.Rename
            or SftpPacketType.Symlink or SftpPacketType.Setstat => true,
        SftpPacketType.Extended => Extension is SftpExtensionNames.PosixRename or SftpExtensionNames.Hardlink or SftpExtensionNames.LSetStat,
        _ => false,
    };
}
