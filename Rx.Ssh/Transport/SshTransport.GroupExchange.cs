using System.Numerics;
using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.KeyExchange;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Transport;

/// <summary>
/// Diffie-Hellman group exchange (RFC 4419): the round trip that agrees on a group before the
/// ordinary exchange (messages 32/33) runs in it. Both sides return the fields the exchange hash
/// gains between K_S and e: uint32 min, n, max (as the client sent them), mpint p, mpint g.
/// </summary>
internal sealed partial class SshTransport
{
    /// <summary>Smallest and largest modulus we ask for or serve (OpenSSH's bounds).</summary>
    internal const int GroupExchangeMinBits = 2048;
    internal const int GroupExchangeMaxBits = 8192;

    private async ValueTask<(IKeyExchange Kex, byte[] GroupFields)> RequestGroupExchangeAsync(
        KeyExchangeAlgorithm algorithm, NegotiatedAlgorithms negotiated, bool initial, CancellationToken cancellationToken)
    {
        var request = new KexDhGexRequestMessage(GroupExchangeMinBits, (uint)PreferredGroupBits(negotiated), GroupExchangeMaxBits);
        using (var buffer = new SshBuffer(32))
        {
            request.WriteTo(buffer);
            SendKex(buffer);
        }

        ReadOnlyMemory<byte> payload = await ReadKexPacketAsync(MessageNumber.KexDhGexGroup, initial, cancellationToken).ConfigureAwait(false);
        KexDhGexGroupMessage offered = KexDhGexGroupMessage.Read(payload.Span);
        DiffieHellmanGroup group = CheckOfferedGroup(offered, request);
        return (algorithm.Create(group), GroupFields(request, group));
    }

    private async ValueTask<(IKeyExchange Kex, byte[] GroupFields)> ServeGroupExchangeAsync(
        KeyExchangeAlgorithm algorithm, bool initial, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> payload = await ReadKexPacketAsync(MessageNumber.KexDhGexRequest, initial, cancellationToken).ConfigureAwait(false);
        KexDhGexRequestMessage request = KexDhGexRequestMessage.Read(payload.Span);
        if (request.Min > request.Preferred || request.Preferred > request.Max)
        {
            throw new SshKeyExchangeException($"Group exchange request with inconsistent sizes: min {request.Min}, n {request.Preferred}, max {request.Max}.");
        }

        int min = (int)Math.Max(request.Min, GroupExchangeMinBits);
        int max = (int)Math.Min(request.Max, GroupExchangeMaxBits);
        int preferred = Math.Clamp((int)Math.Min(request.Preferred, GroupExchangeMaxBits), min, Math.Max(min, max));
        DiffieHellmanGroup group = (min <= max ? ModuliFile.Load(_settings.ModuliFile).Select(min, preferred, max) : null)
            ?? throw new SshKeyExchangeException($"No Diffie-Hellman group between {request.Min} and {request.Max} bits (this server has {GroupExchangeMinBits} to {GroupExchangeMaxBits}).");
        using (var buffer = new SshBuffer(group.Bits / 4))
        {
            new KexDhGexGroupMessage(group.P, group.G).WriteTo(buffer);
            SendKex(buffer);
        }

        return (algorithm.Create(group), GroupFields(request, group));
    }

    /// <summary>Client: the server's group must lie within the bounds we asked for, with a usable generator.</summary>
    internal static DiffieHellmanGroup CheckOfferedGroup(KexDhGexGroupMessage offered, KexDhGexRequestMessage request)
    {
        if (offered.P.Sign <= 0 || offered.P.IsEven)
        {
            throw new SshKeyExchangeException("The server's group exchange modulus is not an odd positive number.");
        }

        var group = new DiffieHellmanGroup(offered.P, offered.G);
        if (group.Bits < request.Min || group.Bits > request.Max)
        {
            throw new SshKeyExchangeException($"The server offered a {group.Bits}-bit group; {request.Min} to {request.Max} bits were requested.");
        }

        if (offered.G <= BigInteger.One || offered.G >= offered.P - BigInteger.One)
        {
            throw new SshKeyExchangeException("The server's group exchange generator is out of range (1 < g < p-1 is required).");
        }

        return group;
    }

    /// <summary>
    /// The modulus size to ask for: enough for the strongest key the negotiated ciphers and MACs
    /// derive (NIST SP 800-57 strengths, as OpenSSH estimates them).
    /// </summary>
    internal static int PreferredGroupBits(NegotiatedAlgorithms n)
    {
        int needBytes = Math.Max(
            Math.Max(n.CipherClientToServer.KeySize, n.CipherServerToClient.KeySize),
            Math.Max(n.MacClientToServer?.KeySize ?? 0, n.MacServerToClient?.KeySize ?? 0));
        return (needBytes * 8) switch
        {
            <= 112 => 2048,
            <= 128 => 3072,
            <= 192 => 7680,
            _ => 8192,
        };
    }

    private static byte[] GroupFields(KexDhGexRequestMessage request, DiffieHellmanGroup group)
    {
        using var buffer = new SshBuffer(group.Bits / 4);
        SshWriter w = buffer.Writer;
        w.WriteUInt32(request.Min);
        w.WriteUInt32(request.Preferred);
        w.WriteUInt32(request.Max);
        w.WriteMPInt(group.P);
        w.WriteMPInt(group.G);
        return buffer.ToArray();
    }
}
