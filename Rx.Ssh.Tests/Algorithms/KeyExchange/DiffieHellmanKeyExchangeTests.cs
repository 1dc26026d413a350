using System.Numerics;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.KeyExchange;

namespace Rx.Ssh.Tests.Algorithms.KeyExchange;

/// <summary>Finite-field Diffie-Hellman: groups, agreement, and the range check on the peer's value.</summary>
public sealed class DiffieHellmanKeyExchangeTests
{
    [Theory]
    [InlineData("diffie-hellman-group1-sha1", 1024)]
    [InlineData("diffie-hellman-group14-sha1", 2048)]
    [InlineData("diffie-hellman-group14-sha256", 2048)]
    [InlineData("diffie-hellman-group16-sha512", 4096)]
    [InlineData("diffie-hellman-group18-sha512", 8192)]
    public void Fixed_groups_agree_and_K_is_an_mpint_secret(string name, int bits)
    {
        KeyExchangeAlgorithm algorithm = AlgorithmCatalog.KeyExchange[name];
        using IKeyExchange client = algorithm.Create();
        using IKeyExchange server = algorithm.Create();

        byte[] e = client.CreateClientPublic();
        byte[] f = server.CreateServerReply(e, out byte[] serverSecret);
        byte[] clientSecret = client.ComputeClientSecret(f);

        Assert.Equal(serverSecret, clientSecret);
        Assert.False(algorithm.SecretIsString);
        Assert.False(algorithm.IsGroupExchange);
        Assert.InRange(e.Length, (bits / 8) - 8, (bits / 8) + 1);
        Assert.True(e[0] < 0x80, "e is a positive mpint");
    }

    [Fact]
    public void Rfc3526_groups_are_the_published_primes()
    {
        // RFC 3526: every MODP prime starts with 64 one bits followed by the bits of pi (C90FDAA2 2168C234 ...)
        // and ends with 64 one bits; the generator is 2.
        foreach ((DiffieHellmanGroup group, int bits) in new[]
        {
            (DiffieHellmanGroup.Group1, 1024), (DiffieHellmanGroup.Group14, 2048), (DiffieHellmanGroup.Group15, 3072),
            (DiffieHellmanGroup.Group16, 4096), (DiffieHellmanGroup.Group17, 6144), (DiffieHellmanGroup.Group18, 8192),
        })
        {
            string hex = Convert.ToHexString(group.P.ToByteArray(isUnsigned: true, isBigEndian: true));
            Assert.Equal(bits, group.Bits);
            Assert.StartsWith("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1", hex, StringComparison.Ordinal);
            Assert.EndsWith("FFFFFFFFFFFFFFFF", hex, StringComparison.Ordinal);
            Assert.Equal(new BigInteger(2), group.G);
        }

        // Group 14's last bytes before the trailing ones (RFC 3526 section 3).
        Assert.EndsWith("15728E5A8AACAA68FFFFFFFFFFFFFFFF", Convert.ToHexString(DiffieHellmanGroup.Group14.P.ToByteArray(true, true)), StringComparison.Ordinal);
    }

    public static TheoryData<string> OutOfRange
    {
        get
        {
            BigInteger p = DiffieHellmanGroup.Group14.P;
            return new TheoryData<string>
            {
                string.Empty, // 0
                "01",
                Convert.ToHexString((p - 1).ToByteArray(isUnsigned: false, isBigEndian: true)),
                Convert.ToHexString(p.ToByteArray(isUnsigned: false, isBigEndian: true)),
                Convert.ToHexString((p + 5).ToByteArray(isUnsigned: false, isBigEndian: true)),
                "FF", // negative
                "0001", // not minimal
            };
        }
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_peer_value_outside_1_to_p_minus_1_is_a_key_exchange_failure(string hex)
    {
        byte[] value = Convert.FromHexString(hex);
        using IKeyExchange server = DiffieHellmanKeyExchange.Group14Sha256.Create();
        using IKeyExchange client = DiffieHellmanKeyExchange.Group14Sha256.Create();
        client.CreateClientPublic();

        SshKeyExchangeException fromClient = Assert.Throws<SshKeyExchangeException>(() => server.CreateServerReply(value, out _));
        SshKeyExchangeException fromServer = Assert.Throws<SshKeyExchangeException>(() => client.ComputeClientSecret(value));

        Assert.Equal(DisconnectReason.KeyExchangeFailed, fromClient.Reason);
        Assert.Contains("value e", fromClient.Message, StringComparison.Ordinal);
        Assert.Contains("value f", fromServer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_exchange_methods_need_a_group()
    {
        Assert.True(DiffieHellmanKeyExchange.GroupExchangeSha256.IsGroupExchange);
        Assert.Throws<InvalidOperationException>(() => DiffieHellmanKeyExchange.GroupExchangeSha256.Create());
        using IKeyExchange kex = DiffieHellmanKeyExchange.GroupExchangeSha256.Create(DiffieHellmanGroup.Group15);
        Assert.NotEmpty(kex.CreateClientPublic());
    }
}
