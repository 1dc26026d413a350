using System.Buffers;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages.KeyExchange;

// RFC 5656 section 4 / RFC 8731: byte SSH_MSG_KEX_ECDH_INIT, string Q_C (client ephemeral public key)
// (the same layout serves SSH_MSG_KEXDH_INIT with e as mpint and the hybrid PQ kex with C_INIT).
internal static class KexEcdhInitMessage
{
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.KexEcdhInit);
        ReadOnlySpan<byte> q = r.ReadString();
        r.ReadEnd();
        return q;
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> clientPublic)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.KexEcdhInit);
        w.WriteString(clientPublic);
    }
}

// RFC 5656 section 4: byte SSH_MSG_KEX_ECDH_REPLY, string K_S (host key), string Q_S, string signature of H
internal readonly ref struct KexEcdhReplyMessage
{
    public KexEcdhReplyMessage(ReadOnlySpan<byte> hostKey, ReadOnlySpan<byte> serverPublic, ReadOnlySpan<byte> signature)
    {
        HostKey = hostKey;
        ServerPublic = serverPublic;
        Signature = signature;
    }

    public ReadOnlySpan<byte> HostKey { get; }

    public ReadOnlySpan<byte> ServerPublic { get; }

    public ReadOnlySpan<byte> Signature { get; }

    public static KexEcdhReplyMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.KexEcdhReply);
        ReadOnlySpan<byte> hostKey = r.ReadString();
        ReadOnlySpan<byte> serverPublic = r.ReadString();
        ReadOnlySpan<byte> signature = r.ReadString();
        r.ReadEnd();
        return new KexEcdhReplyMessage(hostKey, serverPublic, signature);
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> hostKey, ReadOnlySpan<byte> serverPublic, ReadOnlySpan<byte> signature)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.KexEcdhReply);
        w.WriteString(hostKey);
        w.WriteString(serverPublic);
        w.WriteString(signature);
    }
}
