using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>
/// Post-quantum hybrid key exchange: a KEM combined with X25519 (OpenSSH PROTOCOL for
/// <c>sntrup761x25519-sha512</c>, draft-ietf-sshm-mlkem-hybrid-kex for <c>mlkem768x25519-sha256</c>).
/// C_INIT = KEM public key || X25519 public key; S_REPLY = KEM ciphertext || X25519 public key;
/// K = HASH(KEM secret || X25519 secret), encoded as a string.
/// </summary>
internal sealed class HybridKeyExchange : IKeyExchange
{
    private const int X25519Size = 32;

    public static readonly KeyExchangeAlgorithm MLKem768X25519 = new(
        "mlkem768x25519-sha256", HashAlgorithmName.SHA256, () => new HybridKeyExchange("ML-KEM-768", new MLKem768(), HashAlgorithmName.SHA256), secretIsString: true);

    public static readonly KeyExchangeAlgorithm Sntrup761X25519 = new(
        "sntrup761x25519-sha512", HashAlgorithmName.SHA512, () => new HybridKeyExchange("sntrup761", new SNtruPrime761(), HashAlgorithmName.SHA512), secretIsString: true);

    public static readonly KeyExchangeAlgorithm Sntrup761X25519OpenSsh = new(
        "sntrup761x25519-sha512@openssh.com", HashAlgorithmName.SHA512, () => new HybridKeyExchange("sntrup761", new SNtruPrime761(), HashAlgorithmName.SHA512), secretIsString: true);

    private readonly string _kemName;
    private readonly IKem _kem;
    private readonly HashAlgorithmName _hash;
    private readonly Curve25519KeyExchange _x25519 = new();

    private HybridKeyExchange(string kemName, IKem kem, HashAlgorithmName hash)
    {
        _kemName = kemName;
        _kem = kem;
        _hash = hash;
    }

    public byte[] CreateClientPublic()
    {
        byte[] kemPublic = _kem.GenerateKeyPair();
        return [.. kemPublic, .. _x25519.CreateClientPublic()];
    }

    public byte[] ComputeClientSecret(ReadOnlySpan<byte> serverPublic)
    {
        CheckLength(serverPublic, _kem.CiphertextSize, "S_REPLY (ciphertext || X25519 key)");
        byte[] classical = _x25519.ComputeClientSecret(serverPublic[_kem.CiphertextSize..]);
        byte[] kemSecret = _kem.Decapsulate(serverPublic[.._kem.CiphertextSize]);
        return CombineSecrets(_hash, kemSecret, classical);
    }

    public byte[] CreateServerReply(ReadOnlySpan<byte> clientPublic, out byte[] sharedSecret)
    {
        CheckLength(clientPublic, _kem.PublicKeySize, "C_INIT (public key || X25519 key)");
        byte[] serverX25519 = _x25519.CreateServerReply(clientPublic[_kem.PublicKeySize..], out byte[] classical);
        byte[] ciphertext = _kem.Encapsulate(clientPublic[.._kem.PublicKeySize], out byte[] kemSecret);
        sharedSecret = CombineSecrets(_hash, kemSecret, classical);
        return [.. ciphertext, .. serverX25519];
    }

    /// <summary>K = HASH(KEM secret || X25519 secret); both inputs are cleared.</summary>
    internal static byte[] CombineSecrets(HashAlgorithmName hash, byte[] kemSecret, byte[] classicalSecret)
    {
        byte[] both = [.. kemSecret, .. classicalSecret];
        byte[] k = CryptographicOperations.HashData(hash, both);
        CryptographicOperations.ZeroMemory(both);
        CryptographicOperations.ZeroMemory(kemSecret);
        CryptographicOperations.ZeroMemory(classicalSecret);
        return k;
    }

    private void CheckLength(ReadOnlySpan<byte> value, int kemPart, string what)
    {
        if (value.Length != kemPart + X25519Size)
        {
            throw new SshKeyExchangeException($"The peer's {_kemName}x25519 {what} is {value.Length} bytes; {kemPart + X25519Size} expected.");
        }
    }

    public void Dispose() => _x25519.Dispose();
}
