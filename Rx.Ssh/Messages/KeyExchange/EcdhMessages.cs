using System.Buffers;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages.KeyExchange;

// RFC 5656 section 4 / RFC 8731: byte SSH_MSG_KEX_ECDH_INIT, string Q_C (client ephemeral public key)
// (the same layout serves SSH_MSG_KEXDH_INIT and SSH_MSG_KEX_DH_GEX_INIT (32) with e as mpint, whose
// bytes are those of a string holding the mpint's content, and the hybrid PQ kex with C_INIT).
internal static class KexEcdhInitMessage
{
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> payload, byte number = MessageNumber.KexEcdhInit)
    {
        SshReader r = MessageReader.Open(payload, number);
        ReadOnlySpan<byte> q = r.ReadString();
        r.ReadEnd();
        return q;
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> clientPublic, byte number = MessageNumber.KexEcdhInit)
    {
        var w = new SshWriter(output);
        w.WriteByte(number);
        w.WriteString(clientPublic);
    }
}

// RFC 5656 section 4: byte SSH_MSG_KEX_ECDH_REPLY, string K_S (host key), string Q_S, string signature of H
// (also SSH_MSG_KEXDH_REPLY and SSH_MSG_KEX_DH_GEX_REPLY (33) with f as mpint, and the hybrids' S_REPLY).
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

    public static KexEcdhReplyMessage Read(ReadOnlySpan<byte> payload, byte number = MessageNumber.KexEcdhReply)
    {
        SshReader r = MessageReader.Open(payload, number);
        ReadOnlySpan<byte> hostKey = r.ReadString();
        ReadOnlySpan<byte> serverPublic = r.ReadString();
        ReadOnlySpan<byte> signature = r.ReadString();
        r.ReadEnd();
        return new KexEcdhReplyMessage(hostKey, serverPublic, signature);
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> hostKey, ReadOnlySpan<byte> serverPublic, ReadOnlySpan<byte> signature, byte number = MessageNumber.KexEcdhReply)
    {
        var w = new SshWriter(output);
        w.WriteByte(number);
        w.WriteString(hostKey);
        w.WriteString(serverPublic);
        w.WriteString(signature);
    }
}
