using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.KeyExchange;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Transport;

/// <summary>
/// RFC 4253 section 7.1 <c>first_kex_packet_follows</c>: a scripted peer sends a guessed key exchange
/// packet. When the two sides' first kex or host key algorithms differ the guess is wrong and the packet
/// is ignored (the peer sends the real one next); when they match it is the first kex packet. The peers
/// offer strict kex, so an ignored packet must not count as an unexpected message.
/// </summary>
public sealed class KexGuessTests
{
    private const string Curve = "curve25519-sha256";
    private const string PeerVersion = "SSH-2.0-ScriptedPeer";

    private static KexInitMessage PeerKexInit(string[] kex, string[] hostKeys, bool guess) =>
        new(kex, hostKeys, ["aes128-ctr"], ["aes128-ctr"], ["hmac-sha2-256"], ["hmac-sha2-256"], ["none"], ["none"], guess);

    /// <summary>A guessed packet that would fail the exchange if it were used (a 5-byte curve25519 value).</summary>
    private static Task SendUnusableGuessAsync(ScriptedKexPeer peer, byte number) => peer.SendAsync(w =>
    {
        w.WriteByte(number);
        w.WriteString(new byte[5]);
        if (number == MessageNumber.KexEcdhReply)
        {
            w.WriteString(new byte[5]);
            w.WriteString(new byte[5]);
        }
    });

    /// <summary>
    /// Our server against a scripted client whose KEXINIT sets the flag; <paramref name="wrongGuess"/> decides
    /// whether the guessed ECDH_INIT is junk followed by the real one, or the real one itself. The server's
    /// reply must be signed over the real value, then NEWKEYS must follow.
    /// </summary>
    private static async Task ServerAgainstGuessingClientAsync(string[] serverKex, string[] clientHostKeys, bool wrongGuess)
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshServerConnection> server;
        await using (clientStream)
        await using (serverStream)
        {
            var peer = new ScriptedKexPeer(clientStream);
            SshServerOptions options = InMemoryServer.DefaultServerOptions() with
            {
                Algorithms = SshAlgorithms.Default with { KeyExchange = serverKex },
            };
            server = SshServer.AcceptAsync(serverStream, options);
            string serverVersion = await peer.ExchangeVersionsAsync(PeerVersion).WaitAsync(TestTimeout.Default);
            byte[] serverInit = await peer.ReceiveAsync(MessageNumber.KexInit).WaitAsync(TestTimeout.Default);
            byte[] clientInit = await peer.SendKexInitAsync(PeerKexInit([Curve, "kex-strict-c-v00@openssh.com"], clientHostKeys, guess: true));

            using IKeyExchange kex = Curve25519KeyExchange.Algorithm.Create();
            byte[] clientPublic = kex.CreateClientPublic();
            if (wrongGuess)
            {
                await SendUnusableGuessAsync(peer, MessageNumber.KexEcdhInit);
            }

            await peer.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.KexEcdhInit);
                w.WriteString(clientPublic);
            });

            byte[] replyPayload = await peer.ReceiveAsync().WaitAsync(TestTimeout.Default);
            Assert.Equal(MessageNumber.KexEcdhReply, replyPayload[0]);
            KexEcdhReplyMessage reply = KexEcdhReplyMessage.Read(replyPayload);
            byte[] secret = kex.ComputeClientSecret(reply.ServerPublic);
            byte[] hash = ScriptedKexPeer.Curve25519ExchangeHash(PeerVersion, serverVersion, clientInit, serverInit, reply.HostKey, clientPublic, reply.ServerPublic, secret);
            Assert.True(InMemoryServer.HostKey.PublicKey.VerifySignature(hash, reply.Signature), "the server signed an exchange that used another client value");
            byte[] next = await peer.ReceiveAsync().WaitAsync(TestTimeout.Default);
            Assert.Equal(MessageNumber.NewKeys, next[0]);
            Assert.False(server.IsCompleted, "the server must still be in the handshake, not failed");
        }

        // The streams are gone; the half-done handshake ends with an error, not a hang.
        await Assert.ThrowsAnyAsync<Exception>(() => server.WaitAsync(TestTimeout.Default));
    }

    /// <summary>
    /// Our client against a scripted server whose KEXINIT sets the flag; with <paramref name="wrongGuess"/> an
    /// unusable ECDH_REPLY follows at once (to be ignored). The scripted server then answers the client's
    /// ECDH_INIT properly; the client must accept it and send NEWKEYS.
    /// </summary>
    private static async Task ClientAgainstGuessingServerAsync(string[] clientKex, Func<KexInitMessage, string[]> serverKex, Func<KexInitMessage, string[]> serverHostKeys, bool wrongGuess)
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshClientConnection> client;
        await using (clientStream)
        await using (serverStream)
        {
            var peer = new ScriptedKexPeer(serverStream);
            SshClientOptions options = InMemoryServer.DefaultClientOptions() with
            {
                Algorithms = SshAlgorithms.Default with { KeyExchange = clientKex, HostKey = ["ssh-ed25519", "ecdsa-sha2-nistp256"] },
                LoginTimeout = TestTimeout.Default,
            };
            client = SshClient.ConnectAsync(clientStream, "scripted", 22, options);
            string clientVersion = await peer.ExchangeVersionsAsync(PeerVersion).WaitAsync(TestTimeout.Default);
            byte[] clientInit = await peer.ReceiveAsync(MessageNumber.KexInit).WaitAsync(TestTimeout.Default);
            KexInitMessage ours = KexInitMessage.Read(clientInit);
            byte[] serverInit = await peer.SendKexInitAsync(PeerKexInit([.. serverKex(ours), "kex-strict-s-v00@openssh.com"], serverHostKeys(ours), guess: true));
            if (wrongGuess)
            {
                await SendUnusableGuessAsync(peer, MessageNumber.KexEcdhReply);
            }

            byte[] initPayload = await peer.ReceiveAsync().WaitAsync(TestTimeout.Default);
            Assert.Equal(MessageNumber.KexEcdhInit, initPayload[0]);
            byte[] clientPublic = KexEcdhInitMessage.Read(initPayload).ToArray();
            using IKeyExchange kex = Curve25519KeyExchange.Algorithm.Create();
            byte[] serverPublic = kex.CreateServerReply(clientPublic, out byte[] secret);
            byte[] hostKey = InMemoryServer.HostKey.PublicKey.Blob.ToArray();
            byte[] hash = ScriptedKexPeer.Curve25519ExchangeHash(clientVersion, PeerVersion, clientInit, serverInit, hostKey, clientPublic, serverPublic, secret);
            byte[] signature = InMemoryServer.HostKey.Sign("ssh-ed25519", hash);
            await peer.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.KexEcdhReply);
                w.WriteString(hostKey);
                w.WriteString(serverPublic);
                w.WriteString(signature);
            });

            byte[] next = await peer.ReceiveAsync().WaitAsync(TestTimeout.Default);
            Assert.Equal(MessageNumber.NewKeys, next[0]);
            Assert.False(client.IsCompleted, "the client must still be in the handshake, not failed");
        }

        // The streams are gone; the half-done handshake ends with an error, not a hang.
        await Assert.ThrowsAnyAsync<Exception>(() => client.WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task Server_ignores_a_wrong_guess_when_the_client_s_first_kex_is_not_the_server_s_first()
    {
        // The Dropbear case: the client's first choice is one the server supports (so it is what gets
        // negotiated), but the server prefers another; the client judges its guess wrong and sends again.
        await ServerAgainstGuessingClientAsync(["mlkem768x25519-sha256", Curve], ["ssh-ed25519"], wrongGuess: true);
    }

    [Fact]
    public async Task Server_ignores_a_wrong_guess_when_the_first_host_key_algorithms_differ()
    {
        await ServerAgainstGuessingClientAsync([Curve], ["ecdsa-sha2-nistp256", "ssh-ed25519"], wrongGuess: true);
    }

    [Fact]
    public async Task Server_uses_a_right_guess()
    {
        await ServerAgainstGuessingClientAsync([Curve], ["ssh-ed25519"], wrongGuess: false);
    }

    [Fact]
    public async Task Client_ignores_a_wrong_guess_when_the_server_s_first_kex_is_not_the_client_s_first()
    {
        // The server's first choice is the one negotiated (the client's first is not offered), yet the
        // first algorithms differ, so the guess is wrong.
        await ClientAgainstGuessingServerAsync(
            ["mlkem768x25519-sha256", Curve], _ => [Curve], ours => [ours.HostKeyAlgorithms[0]], wrongGuess: true);
    }

    [Fact]
    public async Task Client_ignores_a_wrong_guess_when_the_first_host_key_algorithms_differ()
    {
        await ClientAgainstGuessingServerAsync(
            [Curve], _ => [Curve], _ => ["ecdsa-sha2-nistp256", "ssh-ed25519"], wrongGuess: true);
    }

    [Fact]
    public async Task Client_uses_a_right_guess()
    {
        await ClientAgainstGuessingServerAsync(
            [Curve], ours => [ours.KexAlgorithms[0]], ours => [ours.HostKeyAlgorithms[0]], wrongGuess: false);
    }
}
