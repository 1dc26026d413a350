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
        if (!CoefficientsAreReduced(publicKey))
        {
            throw new SshKeyExchangeException("The client's ML-KEM-768 encapsulation key fails the FIPS 203 modulus check.");
        }

        MLKemPublicKeyParameters key;
        try
        {
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

    /// <summary>
    /// FIPS 203 section 7.2 modulus check: the encapsulation key's polynomial part (3 x 384 bytes
    /// of 12-bit coefficients, two per 3 bytes, little-endian) must hold only values below q = 3329.
    /// </summary>
    internal static bool CoefficientsAreReduced(ReadOnlySpan<byte> encapsulationKey)
    {
        const int q = 3329;
        ReadOnlySpan<byte> polynomials = encapsulationKey[..(3 * 384)];
        for (int i = 0; i < polynomials.Length; i += 3)
        {
            int first = polynomials[i] | ((polynomials[i + 1] & 0x0F) << 8);
            int second = (polynomials[i + 1] >> 4) | (polynomials[i + 2] << 4);
            if (first >= q || second >= q)
            {
                return false;
            }
        }

        return true;
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
