using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Transport;

namespace Rx.Ssh.Tests.Algorithms.KeyExchange;

/// <summary>The post-quantum hybrids (ML-KEM-768 and sntrup761 with X25519) as key agreements.</summary>
public sealed class HybridKeyExchangeTests
{
    public static TheoryData<string, int, int> Hybrids => new()
    {
        { "mlkem768x25519-sha256", 1184 + 32, 1088 + 32 },
        { "sntrup761x25519-sha512", 1158 + 32, 1039 + 32 },
        { "sntrup761x25519-sha512@openssh.com", 1158 + 32, 1039 + 32 },
    };

    [Theory]
    [MemberData(nameof(Hybrids))]
    public void Client_and_server_halves_agree(string name, int initLength, int replyLength)
    {
        KeyExchangeAlgorithm algorithm = AlgorithmCatalog.KeyExchange[name];
        using IKeyExchange client = algorithm.Create();
        using IKeyExchange server = algorithm.Create();

        byte[] init = client.CreateClientPublic();
        byte[] reply = server.CreateServerReply(init, out byte[] serverSecret);
        byte[] clientSecret = client.ComputeClientSecret(reply);

        Assert.Equal(initLength, init.Length);
        Assert.Equal(replyLength, reply.Length);
        Assert.Equal(algorithm.Hash == HashAlgorithmName.SHA256 ? 32 : 64, clientSecret.Length);
        Assert.Equal(serverSecret, clientSecret);
        Assert.True(algorithm.SecretIsString);
    }

    [Theory]
    [MemberData(nameof(Hybrids))]
    public void A_wrong_length_C_INIT_is_a_key_exchange_failure(string name, int initLength, int replyLength)
    {
        _ = replyLength;
        using IKeyExchange server = AlgorithmCatalog.KeyExchange[name].Create();
        SshKeyExchangeException error = Assert.Throws<SshKeyExchangeException>(() => server.CreateServerReply(new byte[initLength - 1], out _));
        Assert.Equal(DisconnectReason.KeyExchangeFailed, error.Reason);
        Assert.Contains((initLength - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hybrids))]
    public void A_wrong_length_S_REPLY_is_a_key_exchange_failure(string name, int initLength, int replyLength)
    {
        _ = initLength;
        using IKeyExchange client = AlgorithmCatalog.KeyExchange[name].Create();
        client.CreateClientPublic();
        SshKeyExchangeException error = Assert.Throws<SshKeyExchangeException>(() => client.ComputeClientSecret(new byte[replyLength + 1]));
        Assert.Equal(DisconnectReason.KeyExchangeFailed, error.Reason);
    }

    [Fact]
    public void An_all_zero_X25519_half_is_refused()
    {
        using IKeyExchange client = HybridKeyExchange.MLKem768X25519.Create();
        using IKeyExchange server = HybridKeyExchange.MLKem768X25519.Create();
        byte[] init = client.CreateClientPublic();
        init.AsSpan(1184).Clear(); // the X25519 point 0 has small order: the agreement is all zero
        Assert.Throws<SshKeyExchangeException>(() => server.CreateServerReply(init, out _));
    }

    [Fact]
    public void An_ML_KEM_encapsulation_key_with_unreduced_coefficients_is_refused()
    {
        using IKeyExchange client = HybridKeyExchange.MLKem768X25519.Create();
        using IKeyExchange server = HybridKeyExchange.MLKem768X25519.Create();
        byte[] init = client.CreateClientPublic();
        Assert.True(MLKem768.CoefficientsAreReduced(init));
        init[0] = 0xFF;
        init[1] |= 0x0F; // first coefficient 4095 >= q
        Assert.False(MLKem768.CoefficientsAreReduced(init));

        SshKeyExchangeException error = Assert.Throws<SshKeyExchangeException>(() => server.CreateServerReply(init, out _));
        Assert.Contains("modulus check", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Combination_is_sha256_of_kem_secret_then_x25519_secret()
    {
        byte[] kem = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        byte[] x25519 = [.. Enumerable.Range(32, 32).Select(i => (byte)i)];

        byte[] k = HybridKeyExchange.CombineSecrets(HashAlgorithmName.SHA256, kem, x25519);

        // SHA-256 of the bytes 0x00..0x3f
        Assert.Equal("fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108", Convert.ToHexStringLower(k));
        Assert.All(kem, b => Assert.Equal(0, b));
        Assert.All(x25519, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Combination_for_sntrup761_is_sha512()
    {
        byte[] k = HybridKeyExchange.CombineSecrets(HashAlgorithmName.SHA512, [.. Enumerable.Range(0, 32).Select(i => (byte)i)], [.. Enumerable.Range(32, 32).Select(i => (byte)i)]);
        Assert.Equal(
            "ee4320ebaf3fdb4f2c832b137200c08e235e0fa7bbd0eb1740c7063ba8a0d151da77e003398e1714a955d475b05e3e950b639503b452ec185de4229bc4873949",
            Convert.ToHexStringLower(k));
    }

    [Fact]
    public void Hybrid_K_is_encoded_as_a_string_even_with_the_high_bit_set()
    {
        byte[] k = new byte[32];
        k[0] = 0x80;
        byte[] encoded = KeyDerivation.EncodeSecret(k, asString: true);
        Assert.Equal([0, 0, 0, 32, 0x80], encoded[..5]);
        Assert.Equal(36, encoded.Length);
    }

    [Fact]
    public void MLKem768_key_generation_matches_the_published_vector()
    {
        // FIPS 203 key generation from the seed d || z; the vector gives SHA3-256 of the encapsulation key.
        byte[] seed = Convert.FromHexString(
            "E34A701C4C87582F42264EE422D3C684D97611F2523EFE0C998AF05056D693DC" +
            "A85768F3486BD32A01BF9A8F21EA938E648EAE4E5448C34C3EB88820B159EEDD");
        MLKemPrivateKeyParameters key = MLKemPrivateKeyParameters.FromSeed(MLKemParameters.ml_kem_768, seed);
        byte[] encapsulationKey = key.GetPublicKeyEncoded();
        Assert.Equal(1184, encapsulationKey.Length);
        Assert.Equal("E2902083" + "9D052FA372585627F8B59EE312AE414C979D825F06A6929A79625718", Convert.ToHexString(SHA3_256.HashData(encapsulationKey)));
    }
}
