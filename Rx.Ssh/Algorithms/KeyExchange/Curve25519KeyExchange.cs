using System.Security.Cryptography;
using NSec.Cryptography;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary><c>curve25519-sha256</c> (RFC 8731) on NSec's X25519.</summary>
internal sealed class Curve25519KeyExchange : IKeyExchange
{
    public static readonly KeyExchangeAlgorithm Algorithm = new("curve25519-sha256", HashAlgorithmName.SHA256, () => new Curve25519KeyExchange());
    public static readonly KeyExchangeAlgorithm LibSshAlgorithm = new("curve25519-sha256@libssh.org", HashAlgorithmName.SHA256, () => new Curve25519KeyExchange());

    private static readonly KeyAgreementAlgorithm X25519 = KeyAgreementAlgorithm.X25519;
    private readonly Key _key = Key.Create(X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });

    public byte[] CreateClientPublic() => _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public byte[] ComputeClientSecret(ReadOnlySpan<byte> serverPublic) => Agree(serverPublic);

    public byte[] CreateServerReply(ReadOnlySpan<byte> clientPublic, out byte[] sharedSecret)
    {
        sharedSecret = Agree(clientPublic);
        return _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    private byte[] Agree(ReadOnlySpan<byte> peerPublic)
    {
        if (peerPublic.Length != 32 || !PublicKey.TryImport(X25519, peerPublic, KeyBlobFormat.RawPublicKey, out PublicKey? peer) || peer is null)
        {
            throw new SshKeyExchangeException("Invalid curve25519 public key from peer.");
        }

        using SharedSecret? secret = X25519.Agree(_key, peer, new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        if (secret is null)
        {
            // NSec returns null for a low-order point (all-zero shared secret), which RFC 8731 forbids.
            throw new SshKeyExchangeException("curve25519 agreement gave an all-zero secret.");
        }

        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    public void Dispose() => _key.Dispose();
}
