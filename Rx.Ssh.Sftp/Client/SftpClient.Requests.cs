using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

// Sending one request and decoding the reply it expects: a STATUS OK, a HANDLE, ATTRS, one NAME,
// or an EXTENDED_REPLY. Any other reply, or a failure STATUS, throws.
public sealed partial class SftpClient
{
    internal async Task StatusAsync(SftpPacketWriter packet, uint id, CancellationToken cancellationToken)
    {
        using SftpReply reply = await _session.RequestAsync(packet, id, cancellationToken).ConfigureAwait(false);
        CheckOk(reply);
    }

    internal async Task<byte[]> HandleAsync(SftpPacketWriter packet, uint id, CancellationToken cancellationToken)
    {
        using SftpReply reply = await _session.RequestAsync(packet, id, cancellationToken).ConfigureAwait(false);
        return DecodeHandle(reply);
    }

    internal async Task<SftpAttributes> AttrsAsync(SftpPacketWriter packet, uint id, CancellationToken cancellationToken)
    {
        using SftpReply reply = await _session.RequestAsync(packet, id, cancellationToken).ConfigureAwait(false);
        return DecodeAttrs(reply);
    }

    internal async Task<SftpName> NameAsync(SftpPacketWriter packet, uint id, CancellationToken cancellationToken)
    {
        using SftpReply reply = await _session.RequestAsync(packet, id, cancellationToken).ConfigureAwait(false);
        return DecodeSingleName(reply);
    }

    internal async Task<SftpReply> ExtendedReplyAsync(SftpPacketWriter packet, uint id, CancellationToken cancellationToken)
    {
        SftpReply reply = await _session.RequestAsync(packet, id, cancellationToken).ConfigureAwait(false);
        if (reply.Type != SftpPacketType.ExtendedReply)
        {
            using (reply)
            {
                throw reply.Unexpected("EXTENDED_REPLY");
            }
        }

        return reply;
    }

    /// <summary>Starts an EXTENDED request for <paramref name="name"/>, checking the server offers it.</summary>
    internal (SftpPacketWriter Writer, uint Id) StartExtended(string name, int capacity = 256)
    {
        Require(name);
        (SftpPacketWriter writer, uint id) = _session.Start(SftpPacketType.Extended, capacity);
        writer.WriteString(name);
        return (writer, id);
    }

    /// <summary>Starts a request whose body is one path.</summary>
    internal (SftpPacketWriter Writer, uint Id) StartPath(SftpPacketType type, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        (SftpPacketWriter writer, uint id) = _session.Start(type, 64 + (path.Length * 3));
        try
        {
            writer.WritePath(path);
            return (writer, id);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    internal static void CheckOk(SftpReply reply)
    {
        if (reply.Type == SftpPacketType.Status)
        {
            SftpPacketReader reader = reply.Reader();
            SftpStatusReply status = SftpStatusReply.Read(ref reader);
            if (status.Code == SftpStatusCode.Ok)
            {
                return;
            }

            throw status.ToException();
        }

        throw reply.Unexpected("STATUS");
    }

    private static byte[] DecodeHandle(SftpReply reply)
    {
        if (reply.Type != SftpPacketType.Handle)
        {
            throw reply.Unexpected("HANDLE");
        }

        SftpPacketReader reader = reply.Reader();
        byte[] handle = SftpHandle.Read(ref reader);
        reader.ReadEnd();
        return handle;
    }

    private static SftpAttributes DecodeAttrs(SftpReply reply)
    {
        if (reply.Type != SftpPacketType.Attrs)
        {
            throw reply.Unexpected("ATTRS");
        }

        SftpPacketReader reader = reply.Reader();
        SftpAttributes attributes = SftpAttributes.Read(ref reader);
        reader.ReadEnd();
        return attributes;
    }

    private static SftpName DecodeSingleName(SftpReply reply)
    {
        if (reply.Type != SftpPacketType.Name)
        {
            throw reply.Unexpected("NAME");
        }

        SftpPacketReader reader = reply.Reader();
        List<SftpName> names = SftpNameReply.Read(ref reader);
        if (names.Count != 1)
        {
            throw new SftpProtocolException($"SFTP server answered {names.Count} names where one was expected");
        }

        return names[0];
    }

    internal static List<SftpName>? DecodeNames(SftpReply reply)
    {
        if (reply.Type == SftpPacketType.Status)
        {
            SftpPacketReader status = reply.Reader();
            SftpStatusReply s = SftpStatusReply.Read(ref status);
            if (s.Code == SftpStatusCode.Eof)
            {
                return null;
            }

            throw s.Code == SftpStatusCode.Ok ? new SftpProtocolException("SFTP server answered OK to READDIR") : s.ToException();
        }

        if (reply.Type != SftpPacketType.Name)
        {
            throw reply.Unexpected("NAME");
        }

        SftpPacketReader reader = reply.Reader();
        return SftpNameReply.Read(ref reader);
    }
}
