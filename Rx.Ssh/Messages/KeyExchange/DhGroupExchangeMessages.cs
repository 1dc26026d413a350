using System.Buffers;
using System.Numerics;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Messages.KeyExchange;

// RFC 4419 section 3: byte SSH_MSG_KEY_DH_GEX_REQUEST (34), uint32 min, uint32 n, uint32 max
// (sizes in bits of the modulus the client accepts and prefers).
internal readonly record struct KexDhGexRequestMessage(uint Min, uint Preferred, uint Max)
{
    public static KexDhGexRequestMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.KexDhGexRequest);
        var message = new KexDhGexRequestMessage(r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32());
        r.ReadEnd();
        return message;
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.KexDhGexRequest);
        w.WriteUInt32(Min);
        w.WriteUInt32(Preferred);
        w.WriteUInt32(Max);
    }
}

// RFC 4419 section 3: byte SSH_MSG_KEX_DH_GEX_GROUP (31), mpint p (safe prime), mpint g (generator).
internal readonly record struct KexDhGexGroupMessage(BigInteger P, BigInteger G)
{
    public static KexDhGexGroupMessage Read(ReadOnlySpan<byte> payload)
    {
        SshReader r = MessageReader.Open(payload, MessageNumber.KexDhGexGroup);
        var message = new KexDhGexGroupMessage(r.ReadBigInteger(), r.ReadBigInteger());
        r.ReadEnd();
        return message;
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var w = new SshWriter(output);
        w.WriteByte(MessageNumber.KexDhGexGroup);
        w.WriteMPInt(P);
        w.WriteMPInt(G);
    }
}
