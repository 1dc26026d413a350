using System.Buffers;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages.Transport;

// RFC 4253 section 11.1: byte SSH_MSG_DISCONNECT, uint32 reason code, string description, string language tag
internal readonly record struct DisconnectMessage(DisconnectReason Reason, string Description)
{
    public static DisconnectMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.Disconnect);
        var reason = (DisconnectReason)r.ReadUInt32();
        string description = r.ReadUtf8String();
        if (r.Remaining > 0)
        {
            r.ReadString(); // language tag; some peers omit it
        }

        return new DisconnectMessage(reason, description);
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.Disconnect);
        w.WriteUInt32((uint)Reason);
        w.WriteString(Description);
        w.WriteString(string.Empty);
    }
}

// RFC 4253 section 11.4: byte SSH_MSG_UNIMPLEMENTED, uint32 packet sequence number of rejected message
internal readonly record struct UnimplementedMessage(uint SequenceNumber)
{
    public static UnimplementedMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.Unimplemented);
        return new UnimplementedMessage(r.ReadUInt32());
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.Unimplemented);
        w.WriteUInt32(SequenceNumber);
    }
}

// RFC 4253 section 11.3: byte SSH_MSG_DEBUG, boolean always_display, string message, string language tag
internal readonly record struct DebugMessage(bool AlwaysDisplay, string Message)
{
    public static DebugMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.Debug);
        bool always = r.ReadBoolean();
        string message = r.ReadUtf8String();
        return new DebugMessage(always, message);
    }
}

// RFC 4253 section 10: byte SSH_MSG_SERVICE_REQUEST / SSH_MSG_SERVICE_ACCEPT, string service name
internal readonly record struct ServiceMessage(byte Number, string ServiceName)
{
    public static ServiceMessage Read(ReadOnlySpan<byte> payload, byte number)
    {
        SshReader r = MessageReader.Open(payload, number);
        string name = r.ReadAsciiString();
        r.ReadEnd();
        return new ServiceMessage(number, name);
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var w = new SshWriter(output);
        w.WriteByte(Number);
        w.WriteString(ServiceName);
    }
}

// RFC 8308 section 2.3: byte SSH_MSG_EXT_INFO, uint32 nr-extensions, repeat { string name, string value }
internal sealed record ExtInfoMessage(IReadOnlyDictionary<string, byte[]> Extensions)
{
    public static ExtInfoMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.ExtInfo);
        uint count = r.ReadUInt32();
        if (count > 1024)
        {
            throw new SshFormatException("too many extensions");
        }

        var extensions = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (uint i = 0; i < count; i++)
        {
            string name = r.ReadAsciiString();
            extensions[name] = r.ReadString().ToArray();
        }

        return new ExtInfoMessage(extensions);
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.ExtInfo);
        w.WriteUInt32((uint)Extensions.Count);
        foreach (KeyValuePair<string, byte[]> extension in Extensions)
        {
            w.WriteString(extension.Key);
            w.WriteString(extension.Value);
        }
    }
}
