using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>ML-KEM-768 (FIPS 203) on BouncyCastle (.NET's MLKem needs OpenSSL 3.5).</summary>
internal sealed class MLKem768 : IKem
{
    private static readonly MLKemParameters Parameters = MLKemParameters.ml_kem_768;
    private MLKemPrivateKeyParameters? _privateKey;

    public int PublicKeySize => 1184;

    public int CiphertextSize => 1088;

    public byte[] GenerateKeyPair()
    {
        var generator = new MLKemKeyPairGenerator();
        generator.Init(new MLKemKeyGenerationParameters(new SecureRandom(), Parameters));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        _privateKey = (MLKemPrivateKeyParameters)pair.Private;
        return ((MLKemPublicKeyParameters)pair.Public).GetEncoded();
    }

    public byte[] Encapsulate(ReadOnlySpan<byte> publicKey, out byte[] secret)
    {
        MLKemPublicKeyParameters key;
        try
        {
            // FromEncoding runs FIPS 203's encapsulation key check (coefficients below q).
            key = MLKemPublicKeyParameters.FromEncoding(Parameters, publicKey.ToArray());
        }
        catch (ArgumentException ex)
        {
            throw new SshKeyExchangeException("The client's ML-KEM-768 encapsulation key is invalid.", ex);
        }

        var encapsulator = new MLKemEncapsulator(Parameters);
        encapsulator.Init(new ParametersWithRandom(key, new SecureRandom()));
        byte[] ciphertext = new byte[encapsulator.EncapsulationLength];
        secret = new byte[encapsulator.SecretLength];
        encapsulator.Encapsulate(ciphertext, secret);
        return ciphertext;
    }

    public byte[] Decapsulate(ReadOnlySpan<byte> ciphertext)
    {
        var decapsulator = new MLKemDecapsulator(Parameters);
        decapsulator.Init(_privateKey ?? throw new InvalidOperationException("No ML-KEM key pair was generated."));
        byte[] secret = new byte[decapsulator.SecretLength];
        decapsulator.Decapsulate(ciphertext, secret);
        return secret;
    }
}
