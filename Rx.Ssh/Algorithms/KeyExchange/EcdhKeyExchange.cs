using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary><c>ecdh-sha2-nistp256/384/521</c> (RFC 5656) on .NET's ECDiffieHellman.</summary>
internal sealed class EcdhKeyExchange : IKeyExchange
{
    public static readonly KeyExchangeAlgorithm Nistp256 = new("ecdh-sha2-nistp256", HashAlgorithmName.SHA256, () => new EcdhKeyExchange(ECCurve.NamedCurves.nistP256, 32));
    public static readonly KeyExchangeAlgorithm Nistp384 = new("ecdh-sha2-nistp384", HashAlgorithmName.SHA384, () => new EcdhKeyExchange(ECCurve.NamedCurves.nistP384, 48));
    public static readonly KeyExchangeAlgorithm Nistp521 = new("ecdh-sha2-nistp521", HashAlgorithmName.SHA512, () => new EcdhKeyExchange(ECCurve.NamedCurves.nistP521, 66));

    private readonly ECDiffieHellman _ecdh;
    private readonly ECCurve _curve;
    private readonly int _coordinateSize;

    private EcdhKeyExchange(ECCurve curve, int coordinateSize)
    {
        _curve = curve;
        _coordinateSize = coordinateSize;
        _ecdh = ECDiffieHellman.Create(curve);
    }

    public byte[] CreateClientPublic() => EncodePublic();

    public byte[] ComputeClientSecret(ReadOnlySpan<byte> serverPublic) => Agree(serverPublic);

    public byte[] CreateServerReply(ReadOnlySpan<byte> clientPublic, out byte[] sharedSecret)
    {
        sharedSecret = Agree(clientPublic);
        return EncodePublic();
    }

    private byte[] EncodePublic()
    {
        ECParameters p = _ecdh.ExportParameters(includePrivateParameters: false);
        byte[] point = new byte[1 + (2 * _coordinateSize)];
        point[0] = 0x04;
        p.Q.X!.CopyTo(point, 1 + _coordinateSize - p.Q.X!.Length);
        p.Q.Y!.CopyTo(point, 1 + (2 * _coordinateSize) - p.Q.Y!.Length);
        return point;
    }

    private byte[] Agree(ReadOnlySpan<byte> peerPoint)
    {
        if (peerPoint.Length != 1 + (2 * _coordinateSize) || peerPoint[0] != 0x04)
        {
            throw new SshKeyExchangeException("Invalid ECDH public point from peer.");
        }

        try
        {
            var parameters = new ECParameters
            {
                Curve = _curve,
                Q = new ECPoint
                {
                    X = peerPoint.Slice(1, _coordinateSize).ToArray(),
                    Y = peerPoint.Slice(1 + _coordinateSize, _coordinateSize).ToArray(),
                },
            };
            using var peer = ECDiffieHellman.Create(parameters);
            return _ecdh.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException ex)
        {
            throw new SshKeyExchangeException("ECDH public point from peer is not on the curve.", ex);
        }
    }

    public void Dispose() => _ecdh.Dispose();
}
