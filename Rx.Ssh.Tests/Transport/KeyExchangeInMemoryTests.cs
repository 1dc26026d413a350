using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Transport;

/// <summary>Every key exchange method between the Rx.Ssh client and server, in memory, with a re-key.</summary>
public sealed class KeyExchangeInMemoryTests
{
    [Theory]
    [InlineData("mlkem768x25519-sha256")]
    [InlineData("sntrup761x25519-sha512")]
    [InlineData("sntrup761x25519-sha512@openssh.com")]
    [InlineData("curve25519-sha256")]
    [InlineData("ecdh-sha2-nistp384")]
    [InlineData("diffie-hellman-group14-sha256")]
    [InlineData("diffie-hellman-group16-sha512")]
    [InlineData("diffie-hellman-group18-sha512")]
    [InlineData("diffie-hellman-group-exchange-sha256")]
    [InlineData("diffie-hellman-group14-sha1")]
    [InlineData("diffie-hellman-group1-sha1")]
    [InlineData("diffie-hellman-group-exchange-sha1")]
    public async Task Each_method_connects_and_rekeys(string kex)
    {
        SshAlgorithms algorithms = SshAlgorithms.Default with { KeyExchange = [kex] };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Algorithms = algorithms },
            InMemoryServer.DefaultClientOptions() with { Algorithms = algorithms });

        Assert.Equal(kex, pair.Client.KeyExchange);
        Assert.Equal(kex, pair.Server.KeyExchange);

        pair.Client.Rekey();
        Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        Assert.Equal(2, pair.Client.Transport.KeyExchangeCount);
    }

    [Fact]
    public async Task The_default_lists_pick_mlkem768x25519()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        Assert.Equal("mlkem768x25519-sha256", pair.Client.KeyExchange);
    }

    [Fact]
    public async Task Group_exchange_uses_the_servers_moduli_file()
    {
        string moduli = Path.GetTempFileName();
        try
        {
            // One 3072-bit group only (RFC 3526 group 15, written in moduli(5) form).
            var g15 = Rx.Ssh.Algorithms.KeyExchange.DiffieHellmanGroup.Group15;
            await File.WriteAllTextAsync(moduli, "20240101000000 2 6 100 3071 2 " + Convert.ToHexString(g15.P.ToByteArray(true, true)) + "\n");
            SshAlgorithms algorithms = SshAlgorithms.Default with { KeyExchange = ["diffie-hellman-group-exchange-sha256"] };
            await using InMemoryServer pair = await InMemoryServer.StartAsync(
                InMemoryServer.DefaultServerOptions() with { Algorithms = algorithms, ModuliFile = moduli },
                InMemoryServer.DefaultClientOptions() with { Algorithms = algorithms });
            Assert.Equal("diffie-hellman-group-exchange-sha256", pair.Client.KeyExchange);
        }
        finally
        {
            File.Delete(moduli);
        }
    }

    [Fact]
    public async Task Group_exchange_with_no_group_in_range_fails_both_sides_with_key_exchange_failed()
    {
        string moduli = Path.GetTempFileName();
        try
        {
            // Only a 1024-bit group: below the 2048-bit floor, so the server has nothing to offer.
            var g1 = Rx.Ssh.Algorithms.KeyExchange.DiffieHellmanGroup.Group1;
            await File.WriteAllTextAsync(moduli, "20240101000000 2 6 100 1023 2 " + Convert.ToHexString(g1.P.ToByteArray(true, true)) + "\n");
            SshAlgorithms algorithms = SshAlgorithms.Default with { KeyExchange = ["diffie-hellman-group-exchange-sha256"] };
            (Stream clientStream, Stream serverStream) = Rx.Ssh.Testing.InMemoryStream.CreatePair();
            Task<SshServerConnection> server = SshServer.AcceptAsync(serverStream, InMemoryServer.DefaultServerOptions() with { Algorithms = algorithms, ModuliFile = moduli });
            Task<SshClientConnection> client = SshClient.ConnectAsync(clientStream, "in-memory", 22, InMemoryServer.DefaultClientOptions() with { Algorithms = algorithms });

            SshKeyExchangeException serverError = await Assert.ThrowsAsync<SshKeyExchangeException>(() => server.WaitAsync(TestTimeout.Default));
            SshConnectionException clientError = await Assert.ThrowsAnyAsync<SshConnectionException>(() => client.WaitAsync(TestTimeout.Default));

            Assert.Contains("No Diffie-Hellman group", serverError.Message, StringComparison.Ordinal);
            Assert.Equal(DisconnectReason.KeyExchangeFailed, clientError.Reason);
            Assert.False(clientError.IsLocal);
        }
        finally
        {
            File.Delete(moduli);
        }
    }
}
