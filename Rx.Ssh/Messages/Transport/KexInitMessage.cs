using System.Buffers;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages.Transport;

// RFC 4253 section 7.1:
//   byte SSH_MSG_KEXINIT, byte[16] cookie,
//   name-list kex_algorithms, server_host_key_algorithms,
//   encryption c2s, encryption s2c, mac c2s, mac s2c, compression c2s, compression s2c,
//   languages c2s, languages s2c, boolean first_kex_packet_follows, uint32 0
internal sealed record KexInitMessage(
    string[] KexAlgorithms,
    string[] HostKeyAlgorithms,
    string[] CiphersClientToServer,
    string[] CiphersServerToClient,
    string[] MacsClientToServer,
    string[] MacsServerToClient,
    string[] CompressionClientToServer,
    string[] CompressionServerToClient,
    bool FirstKexPacketFollows)
{
    public static KexInitMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.KexInit);
        r.Skip(16);
        var message = new KexInitMessage(
            r.ReadNameList(), r.ReadNameList(), r.ReadNameList(), r.ReadNameList(),
            r.ReadNameList(), r.ReadNameList(), r.ReadNameList(), r.ReadNameList(),
            FirstKexPacketFollows: false);
        r.ReadNameList();
        r.ReadNameList();
        bool follows = r.ReadBoolean();
        r.ReadUInt32();
        return message with { FirstKexPacketFollows = follows };
    }

    public void WriteTo(IBufferWriter<byte> output, ReadOnlySpan<byte> cookie)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.KexInit);
        w.WriteRaw(cookie);
        w.WriteNameList(KexAlgorithms);
        w.WriteNameList(HostKeyAlgorithms);
        w.WriteNameList(CiphersClientToServer);
        w.WriteNameList(CiphersServerToClient);
        w.WriteNameList(MacsClientToServer);
        w.WriteNameList(MacsServerToClient);
        w.WriteNameList(CompressionClientToServer);
        w.WriteNameList(CompressionServerToClient);
        w.WriteNameList([]);
        w.WriteNameList([]);
        w.WriteBoolean(FirstKexPacketFollows);
        w.WriteUInt32(0);
    }
}
