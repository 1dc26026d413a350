namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>The cipher implementations that exist, gathered for <see cref="AlgorithmCatalog"/>.</summary>
internal static class CipherRegistrations
{
    public static IEnumerable<CipherAlgorithm> All =>
    [
        AesGcmPacketCipher.Aes128Gcm,
        AesGcmPacketCipher.Aes256Gcm,
        ChaCha20Poly1305PacketCipher.ChaCha20Poly1305,
        AesCtrTransform.Aes128Ctr,
        AesCtrTransform.Aes192Ctr,
        AesCtrTransform.Aes256Ctr,
        CbcTransform.Aes128Cbc,
        CbcTransform.Aes192Cbc,
        CbcTransform.Aes256Cbc,
        CbcTransform.TripleDesCbc,
    ];
}
