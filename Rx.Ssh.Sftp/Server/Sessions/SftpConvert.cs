namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>Between the file-system layer's types and the wire's: attributes, open flags, errors as status codes.</summary>
internal static class SftpConvert
{
    public static SftpAttributes ToWire(FileSystemAttributes a) => new()
    {
        Size = a.Size is { } size and >= 0 ? (ulong)size : null,
        Uid = a.UserId is not null && a.GroupId is not null ? a.UserId : null,
        Gid = a.UserId is not null && a.GroupId is not null ? a.GroupId : null,
        Permissions = a.Permissions,
        AccessTime = a.AccessTime is not null && a.ModifyTime is not null ? a.AccessTime : null,
        ModifyTime = a.AccessTime is not null && a.ModifyTime is not null ? a.ModifyTime : null,
    };

    public static FileSystemAttributes FromWire(SftpAttributes? a)
    {
        if (a is null || ReferenceEquals(a, SftpAttributes.Empty))
        {
            return FileSystemAttributes.Empty;
        }

        if (a.Size > long.MaxValue)
        {
            throw new SftpFileSystemException(FileSystemError.Failure, "File size too large");
        }

        return new FileSystemAttributes
        {
            Size = (long?)a.Size,
            UserId = a.Uid,
            GroupId = a.Gid,
            Permissions = a.Permissions,
            AccessTime = a.AccessTime,
            ModifyTime = a.ModifyTime,
        };
    }

    public static SftpOpenFlags ToOpenFlags(uint pflags) => (SftpOpenFlags)(pflags & 0x3F);

    /// <summary>The status code and message for a failure.</summary>
    public static (SftpStatusCode Code, string Message) ToStatus(Exception exception)
    {
        if (exception is SftpProtocolException protocol)
        {
            return (SftpStatusCode.BadMessage, protocol.Message);
        }

        SftpFileSystemException fs = FileSystemErrors.ToException(exception);
        SftpStatusCode code = fs.Error switch
        {
            FileSystemError.NoSuchFile or FileSystemError.NotDirectory => SftpStatusCode.NoSuchFile,
            FileSystemError.PermissionDenied => SftpStatusCode.PermissionDenied,
            FileSystemError.OperationUnsupported => SftpStatusCode.OperationUnsupported,
            FileSystemError.BadMessage => SftpStatusCode.BadMessage,
            FileSystemError.EndOfFile => SftpStatusCode.Eof,
            _ => SftpStatusCode.Failure,
        };
        return (code, fs.Message);
    }
}
