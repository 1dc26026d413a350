using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pqc.Crypto.NtruPrime;
using Org.BouncyCastle.Security;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>Streamlined NTRU Prime 761 on BouncyCastle.</summary>
internal sealed class SNtruPrime761 : IKem
{
    private static readonly SNtruPrimeParameters Parameters = SNtruPrimeParameters.sntrup761;
    private SNtruPrimePrivateKeyParameters? _privateKey;

    public int PublicKeySize => 1158;

    public int CiphertextSize => 1039;

    public byte[] GenerateKeyPair()
    {
        var generator = new SNtruPrimeKeyPairGenerator();
        generator.Init(new SNtruPrimeKeyGenerationParameters(new SecureRandom(), Parameters));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        _privateKey = (SNtruPrimePrivateKeyParameters)pair.Private;
        return ((SNtruPrimePublicKeyParameters)pair.Public).GetPublicKey();
    }

    public byte[] Encapsulate(ReadOnlySpan<byte> publicKey, out byte[] secret)
    {
        var key = new SNtruPrimePublicKeyParameters(Parameters, publicKey.ToArray());
        ISecretWithEncapsulation result = new SNtruPrimeKemGenerator(new SecureRandom()).GenerateEncapsulated(key);
        secret = result.GetSecret();
        byte[] ciphertext = result.GetEncapsulation();
        result.Dispose();
        return ciphertext;
    }

    public byte[] Decapsulate(ReadOnlySpan<byte> ciphertext) =>
        new SNtruPrimeKemExtractor(_privateKey ?? throw new InvalidOperationException("No sntrup761 key pair was generated."))
            .ExtractSecret(ciphertext.ToArray());
}
