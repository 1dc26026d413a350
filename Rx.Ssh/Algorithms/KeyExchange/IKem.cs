namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>
/// A post-quantum key encapsulation mechanism as the hybrid key exchanges use it: the client makes
/// a key pair and sends the public key, the server encapsulates a secret to it and returns the
/// ciphertext, the client decapsulates. One instance serves one key exchange.
/// </summary>
internal interface IKem
{
    int PublicKeySize { get; }

    int CiphertextSize { get; }

    /// <summary>Client: generates a key pair, keeps the private key, returns the encoded public key.</summary>
    byte[] GenerateKeyPair();

    /// <summary>Server: encapsulates a fresh secret to <paramref name="publicKey"/>; returns the ciphertext.</summary>
    byte[] Encapsulate(ReadOnlySpan<byte> publicKey, out byte[] secret);

    /// <summary>Client: the secret inside <paramref name="ciphertext"/>, with the key pair from <see cref="GenerateKeyPair"/>.</summary>
    byte[] Decapsulate(ReadOnlySpan<byte> ciphertext);
}
