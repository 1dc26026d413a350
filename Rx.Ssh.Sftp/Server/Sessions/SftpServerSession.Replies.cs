using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Server.Sessions;

/// <content>Writing replies: one packet at a time under the write lock; a channel that is gone makes replies no-ops.</content>
internal sealed partial class SftpServerSession
{
    private async Task SendAsync(SftpPacketWriter packet)
    {
        ReadOnlyMemory<byte> bytes = packet.Finish();
        await _writeLock.WaitAsync(_cancellation).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, _cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SshException)
        {
            // The channel closed: the session is ending and the read loop will see it.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task SendStatusAsync(uint id, SftpStatusCode code, string message)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Status, id, _replyLimit);
        new SftpStatusReply(code, message, string.Empty).Write(w);
        await SendAsync(w).ConfigureAwait(false);
    }

    private Task SendOkAsync(uint id) => SendStatusAsync(id, SftpStatusCode.Ok, "Success");

    private async Task SendHandleAsync(uint id, OpenHandle handle)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Handle, id, _replyLimit);
        w.WriteBytes(handle.ToBytes());
        await SendAsync(w).ConfigureAwait(false);
    }

    private async Task SendAttrsAsync(uint id, FileSystemAttributes attributes)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Attrs, id, _replyLimit);
        SftpConvert.ToWire(attributes).Write(w);
        await SendAsync(w).ConfigureAwait(false);
    }

    // One NAME entry whose long name is the path itself and no attributes, as sshd answers REALPATH and READLINK.
    private async Task SendPathAsync(uint id, string path)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Name, id, _replyLimit);
        SftpNameReply.Write(w, [new SftpName(path, path, SftpAttributes.Empty)]);
        await SendAsync(w).ConfigureAwait(false);
    }

    private async Task SendExtendedReplyAsync(uint id, Action<SftpPacketWriter> body)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.ExtendedReply, id, _replyLimit);
        body(w);
        await SendAsync(w).ConfigureAwait(false);
    }

    private Task SendInvalidHandleAsync(uint id) => SendStatusAsync(id, SftpStatusCode.Failure, "Invalid handle");
}
