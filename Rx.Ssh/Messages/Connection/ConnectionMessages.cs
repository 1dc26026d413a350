using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages.Connection;

/// <summary>
/// Builders for the connection protocol messages (RFC 4254). Each returns a pooled buffer the
/// caller hands to the transport. Wire layouts are in the comments.
/// </summary>
internal static class ConnectionMessages
{
    // byte SSH_MSG_CHANNEL_OPEN, string channel type, uint32 sender channel, uint32 initial window size, uint32 maximum packet size, ... type-specific
    public static SshBuffer ChannelOpen(string type, uint senderChannel, uint window, uint maxPacket)
    {
        var b = new SshBuffer(64);
        SshWriter w = b.Writer;
        w.WriteByte(MessageNumber.ChannelOpen);
        w.WriteString(type);
        w.WriteUInt32(senderChannel);
        w.WriteUInt32(window);
        w.WriteUInt32(maxPacket);
        return b;
    }

    // byte SSH_MSG_CHANNEL_OPEN_CONFIRMATION, uint32 recipient channel, uint32 sender channel, uint32 initial window size, uint32 maximum packet size
    public static SshBuffer ChannelOpenConfirmation(uint recipient, uint sender, uint window, uint maxPacket)
    {
        var b = new SshBuffer(17);
        SshWriter w = b.Writer;
        w.WriteByte(MessageNumber.ChannelOpenConfirmation);
        w.WriteUInt32(recipient);
        w.WriteUInt32(sender);
        w.WriteUInt32(window);
        w.WriteUInt32(maxPacket);
        return b;
    }

    // byte SSH_MSG_CHANNEL_OPEN_FAILURE, uint32 recipient channel, uint32 reason code, string description, string language tag
    public static SshBuffer ChannelOpenFailure(uint recipient, ChannelOpenFailureReason reason, string description)
    {
        var b = new SshBuffer(64);
        SshWriter w = b.Writer;
        w.WriteByte(MessageNumber.ChannelOpenFailure);
        w.WriteUInt32(recipient);
        w.WriteUInt32((uint)reason);
        w.WriteString(description);
        w.WriteString(string.Empty);
        return b;
    }

    // byte SSH_MSG_CHANNEL_WINDOW_ADJUST, uint32 recipient channel, uint32 bytes to add
    public static SshBuffer WindowAdjust(uint recipient, uint bytes) => ChannelUInt(MessageNumber.ChannelWindowAdjust, recipient, bytes);

    // byte SSH_MSG_CHANNEL_EOF / CLOSE / SUCCESS / FAILURE, uint32 recipient channel
    public static SshBuffer ChannelOnly(byte number, uint recipient)
    {
        var b = new SshBuffer(5);
        SshWriter w = b.Writer;
        w.WriteByte(number);
        w.WriteUInt32(recipient);
        return b;
    }

    // byte SSH_MSG_CHANNEL_DATA, uint32 recipient channel, string data
    // byte SSH_MSG_CHANNEL_EXTENDED_DATA, uint32 recipient channel, uint32 data_type_code, string data
    public static SshBuffer Data(uint recipient, uint? extendedType, ReadOnlySpan<byte> data)
    {
        var b = new SshBuffer(data.Length + 13);
        SshWriter w = b.Writer;
        w.WriteByte(extendedType is null ? MessageNumber.ChannelData : MessageNumber.ChannelExtendedData);
        w.WriteUInt32(recipient);
        if (extendedType is uint type)
        {
            w.WriteUInt32(type);
        }

        w.WriteString(data);
        return b;
    }

    // byte SSH_MSG_CHANNEL_REQUEST, uint32 recipient channel, string request type, boolean want reply, ... type-specific
    public static SshBuffer ChannelRequest(uint recipient, string type, bool wantReply)
    {
        var b = new SshBuffer(64);
        SshWriter w = b.Writer;
        w.WriteByte(MessageNumber.ChannelRequest);
        w.WriteUInt32(recipient);
        w.WriteString(type);
        w.WriteBoolean(wantReply);
        return b;
    }

    // byte SSH_MSG_GLOBAL_REQUEST, string request name, boolean want reply, ... request-specific
    public static SshBuffer GlobalRequest(string name, bool wantReply)
    {
        var b = new SshBuffer(64);
        SshWriter w = b.Writer;
        w.WriteByte(MessageNumber.GlobalRequest);
        w.WriteString(name);
        w.WriteBoolean(wantReply);
        return b;
    }

    // byte SSH_MSG_REQUEST_SUCCESS / SSH_MSG_REQUEST_FAILURE, ... response-specific
    public static SshBuffer GlobalReply(bool success) => GlobalReply(success, default);

    // REQUEST_FAILURE carries no data; REQUEST_SUCCESS carries the response-specific data as given.
    public static SshBuffer GlobalReply(bool success, ReadOnlySpan<byte> data)
    {
        var b = new SshBuffer(success ? 1 + data.Length : 1);
        b.Writer.WriteByte(success ? MessageNumber.RequestSuccess : MessageNumber.RequestFailure);
        if (success)
        {
            b.Writer.WriteRaw(data);
        }

        return b;
    }

    private static SshBuffer ChannelUInt(byte number, uint recipient, uint value)
    {
        var b = new SshBuffer(9);
        SshWriter w = b.Writer;
        w.WriteByte(number);
        w.WriteUInt32(recipient);
        w.WriteUInt32(value);
        return b;
    }
}
