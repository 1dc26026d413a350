using System.Numerics;
using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Messages;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys.Certificates;

namespace Rx.Ssh.Tests.Transport;

/// <summary>
/// A scripted peer sends key exchange values the method forbids; the Rx.Ssh side (client or
/// server) fails with <see cref="SshKeyExchangeException"/> and tells the peer KEY_EXCHANGE_FAILED.
/// </summary>
public sealed class KeyExchangeBadInputTests
{
    private static readonly byte[] PMinusOne = (DiffieHellmanGroup.Group14.P - 1).ToByteArray(isUnsigned: false, isBigEndian: true);

    /// <summary>Runs our client against <paramref name="script"/> (which gets the peer after both KEXINITs).</summary>
    private static async Task<(SshConnectionException Error, DisconnectReason Told)> AgainstScriptedServerAsync(string kex, Func<ScriptedKexPeer, Task> script)
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var peer = new ScriptedKexPeer(serverStream);
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with
        {
            Algorithms = SshAlgorithms.Default with { KeyExchange = [kex], Ciphers = ["aes128-ctr"] },
            LoginTimeout = TestTimeout.Default,
        };
        Task<SshClientConnection> client = SshClient.ConnectAsync(clientStream, "scripted", 22, options);
        await peer.ExchangeVersionsAsync();
        await peer.SendKexInitAsync(kex);
        await peer.ReceiveAsync(MessageNumber.KexInit);
        await script(peer);
        DisconnectReason told = await peer.ExpectDisconnectAsync().WaitAsync(TestTimeout.Default);
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => client.WaitAsync(TestTimeout.Default));
        return (error, told);
    }

    /// <summary>Runs our server against a scripted client.</summary>
    private static async Task<(SshConnectionException Error, DisconnectReason Told)> AgainstScriptedClientAsync(string kex, Func<ScriptedKexPeer, Task> script)
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var peer = new ScriptedKexPeer(clientStream);
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            Algorithms = SshAlgorithms.Default with { KeyExchange = [kex] },
        };
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverStream, options);
        await peer.ExchangeVersionsAsync();
        await peer.SendKexInitAsync(kex);
        await peer.ReceiveAsync(MessageNumber.KexInit);
        await script(peer);
        DisconnectReason told = await peer.ExpectDisconnectAsync().WaitAsync(TestTimeout.Default);
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
        return (error, told);
    }

    private static Task SendReplyAsync(ScriptedKexPeer peer, byte number, byte[] serverValue) => peer.SendAsync(w =>
    {
        w.WriteByte(number);
        w.WriteString(InMemoryServer.HostKey.PublicKey.Blob.Span);
        w.WriteString(serverValue);
        w.WriteString(new byte[64]); // never checked: the value fails first
    });

    private static Task SendInitAsync(ScriptedKexPeer peer, byte number, byte[] clientValue) => peer.SendAsync(w =>
    {
        w.WriteByte(number);
        w.WriteString(clientValue);
    });

    private static void AssertKeyExchangeFailed((SshConnectionException Error, DisconnectReason Told) outcome, string messagePart)
    {
        SshKeyExchangeException error = Assert.IsType<SshKeyExchangeException>(outcome.Error);
        Assert.Equal(DisconnectReason.KeyExchangeFailed, error.Reason);
        Assert.True(error.IsLocal);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        Assert.Equal(DisconnectReason.KeyExchangeFailed, outcome.Told);
    }

    [Fact]
    public async Task Client_refuses_a_server_f_of_p_minus_1()
    {
        var outcome = await AgainstScriptedServerAsync("diffie-hellman-group14-sha256", async peer =>
        {
            await peer.ReceiveAsync(MessageNumber.KexEcdhInit);
            await SendReplyAsync(peer, MessageNumber.KexEcdhReply, PMinusOne);
        });
        AssertKeyExchangeFailed(outcome, "value f is out of range");
    }

    [Fact]
    public async Task Client_refuses_a_wrong_length_hybrid_reply()
    {
        var outcome = await AgainstScriptedServerAsync("mlkem768x25519-sha256", async peer =>
        {
            await peer.ReceiveAsync(MessageNumber.KexEcdhInit);
            await SendReplyAsync(peer, MessageNumber.KexEcdhReply, new byte[1088]);
        });
        AssertKeyExchangeFailed(outcome, "1120 expected");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1900)] // about as deep as one packet allows
    public async Task Client_refuses_a_host_certificate_whose_ca_is_a_certificate(int depth)
    {
        byte[] hostKey = NestedCertificate.Build(depth, InMemoryServer.HostKey.PublicKey);
        var outcome = await AgainstScriptedServerAsync("curve25519-sha256", async peer =>
        {
            await peer.ReceiveAsync(MessageNumber.KexEcdhInit);
            await peer.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.KexEcdhReply);
                w.WriteString(hostKey);
                w.WriteString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
                w.WriteString(new byte[64]); // never checked: the host key fails first
            });
        });
        AssertKeyExchangeFailed(outcome, "CA key is itself a certificate");
    }

    [Theory]
    [InlineData(1024)] // below the 2048 bits we ask for at least
    [InlineData(8200)] // above the 8192 bits we accept at most
    public async Task Client_refuses_a_group_outside_the_requested_bounds(int bits)
    {
        // The bounds are checked first, so an odd number of the wrong size does for the big one.
        DiffieHellmanGroup offered = bits == 1024 ? DiffieHellmanGroup.Group1 : new DiffieHellmanGroup((BigInteger.One << bits) - 1, 2);
        var outcome = await AgainstScriptedServerAsync("diffie-hellman-group-exchange-sha256", async peer =>
        {
            byte[] request = await peer.ReceiveAsync(MessageNumber.KexDhGexRequest);
            Assert.Equal(13, request.Length); // byte 34, uint32 min, n, max
            await peer.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.KexDhGexGroup);
                w.WriteMPInt(offered.P);
                w.WriteMPInt(offered.G);
            });
        });
        AssertKeyExchangeFailed(outcome, $"offered a {bits}-bit group; 2048 to 8192 bits were requested");
    }

    [Fact]
    public async Task Client_refuses_a_group_generator_out_of_range()
    {
        var outcome = await AgainstScriptedServerAsync("diffie-hellman-group-exchange-sha256", async peer =>
        {
            await peer.ReceiveAsync(MessageNumber.KexDhGexRequest);
            await peer.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.KexDhGexGroup);
                w.WriteMPInt(DiffieHellmanGroup.Group14.P);
                w.WriteMPInt(BigInteger.One);
            });
        });
        AssertKeyExchangeFailed(outcome, "generator is out of range");
    }

    [Fact]
    public async Task Server_refuses_a_client_e_of_p_minus_1()
    {
        var outcome = await AgainstScriptedClientAsync("diffie-hellman-group14-sha256", peer => SendInitAsync(peer, MessageNumber.KexEcdhInit, PMinusOne));
        AssertKeyExchangeFailed(outcome, "value e is out of range");
    }

    [Fact]
    public async Task Server_refuses_a_wrong_length_hybrid_init()
    {
        var outcome = await AgainstScriptedClientAsync("sntrup761x25519-sha512", peer => SendInitAsync(peer, MessageNumber.KexEcdhInit, new byte[1158]));
        AssertKeyExchangeFailed(outcome, "1190 expected");
    }

    [Fact]
    public async Task Server_refuses_a_group_exchange_e_out_of_range()
    {
        var outcome = await AgainstScriptedClientAsync("diffie-hellman-group-exchange-sha256", async peer =>
        {
            await peer.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.KexDhGexRequest);
                w.WriteUInt32(2048);
                w.WriteUInt32(2048);
                w.WriteUInt32(2048);
            });
            await peer.ReceiveAsync(MessageNumber.KexDhGexGroup);
            await SendInitAsync(peer, MessageNumber.KexDhGexInit, [1]);
        });
        AssertKeyExchangeFailed(outcome, "value e is out of range");
    }

    [Theory]
    [InlineData(4096u, 3072u, 8192u, "inconsistent sizes")]
    [InlineData(9000u, 9000u, 10000u, "No Diffie-Hellman group between 9000 and 10000 bits")]
    [InlineData(1024u, 1024u, 1536u, "No Diffie-Hellman group between 1024 and 1536 bits")]
    public async Task Server_refuses_group_requests_it_cannot_meet(uint min, uint n, uint max, string messagePart)
    {
        var outcome = await AgainstScriptedClientAsync("diffie-hellman-group-exchange-sha256", peer => peer.SendAsync(w =>
        {
            w.WriteByte(MessageNumber.KexDhGexRequest);
            w.WriteUInt32(min);
            w.WriteUInt32(n);
            w.WriteUInt32(max);
        }));
        AssertKeyExchangeFailed(outcome, messagePart);
    }
}
