using System.Buffers.Binary;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages;
using Rx.Ssh.Testing;
using Rx.Ssh.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A scripted SSH client for server tests: the library's own transport (version exchange, key
/// exchange, encryption) with everything above it written by hand, so a test can send exactly the
/// messages it wants, in any order, including ones a real client never would.
/// </summary>
internal sealed class RawSshClient : RawSshPeer
{
    private RawSshClient(SshTransport transport)
        : base(transport)
    {
    }

    /// <summary>Runs version and key exchange over <paramref name="stream"/>.</summary>
    public static async Task<RawSshClient> ConnectAsync(Stream stream)
    {
        var transport = new SshTransport(stream, new TransportSettings
        {
            IsServer = false,
            Algorithms = SshAlgorithms.Default,
            Version = "SSH-2.0-RawTestClient",
        });
        await transport.StartAsync(CancellationToken.None).WaitAsync(TestTimeout.Default);
        return new RawSshClient(transport);
    }

    /// <summary>Starts a server over an in-memory pair and connects a raw client to it.</summary>
    public static async Task<(RawSshClient Client, Task<SshServerConnection> Server)> StartInMemoryAsync(SshServerOptions options, System.Net.EndPoint? remote = null)
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverStream, options, remote);
        RawSshClient client = await ConnectAsync(clientStream);
        return (client, server);
    }

    /// <summary>The next payload, skipping banners.</summary>
    public async Task<byte[]> ReceiveSkippingBannersAsync()
    {
        while (true)
        {
            byte[] payload = await ReceiveAsync();
            if (payload[0] != MessageNumber.UserAuthBanner)
            {
                return payload;
            }
        }
    }

    /// <summary>SERVICE_REQUEST ssh-userauth, expecting SERVICE_ACCEPT.</summary>
    public async Task RequestUserAuthAsync()
    {
        await SendAsync(w =>
        {
            w.WriteByte(MessageNumber.ServiceRequest);
            w.WriteString("ssh-userauth");
        });
        byte[] accept = await ReceiveSkippingBannersAsync();
        Assert.Equal(MessageNumber.ServiceAccept, accept[0]);
    }

    /// <summary>Sends USERAUTH_REQUEST with the common header and <paramref name="body"/>.</summary>
    public Task SendAuthRequestAsync(string user, string method, Action<SshWriter>? body = null) => SendAsync(w =>
    {
        w.WriteByte(MessageNumber.UserAuthRequest);
        w.WriteString(user);
        w.WriteString("ssh-connection");
        w.WriteString(method);
        body?.Invoke(w);
    });

    public Task SendPasswordAsync(string user, string password) => SendAuthRequestAsync(user, "password", w =>
    {
        w.WriteBoolean(false);
        w.WriteString(password);
    });

    /// <summary>A publickey request with <paramref name="algorithm"/>: signed, or a query (no signature).</summary>
    public Task SendPublicKeyAsync(string user, SshPrivateKey key, string algorithm, bool sign)
    {
        byte[] blob = key.PublicKey.Blob.ToArray();
        byte[]? signature = null;
        if (sign)
        {
            // string session identifier, then the request up to the signature
            using var signed = new SshBuffer();
            SshWriter s = signed.Writer;
            s.WriteString(Transport.SessionId);
            s.WriteByte(MessageNumber.UserAuthRequest);
            s.WriteString(user);
            s.WriteString("ssh-connection");
            s.WriteString("publickey");
            s.WriteBoolean(true);
            s.WriteString(algorithm);
            s.WriteString(blob);
            signature = key.Sign(algorithm, signed.WrittenSpan);
        }

        return SendAuthRequestAsync(user, "publickey", w =>
        {
            w.WriteBoolean(sign);
            w.WriteString(algorithm);
            w.WriteString(blob);
            if (signature is not null)
            {
                w.WriteString(signature);
            }
        });
    }

    /// <summary>Service request and password login; fails the test unless USERAUTH_SUCCESS comes back.</summary>
    public async Task LoginAsync(string user = "alice", string password = "secret")
    {
        await RequestUserAuthAsync();
        await SendPasswordAsync(user, password);
        Assert.Equal(MessageNumber.UserAuthSuccess, (await ReceiveSkippingBannersAsync())[0]);
    }

    /// <summary>CHANNEL_OPEN of <paramref name="type"/> with our channel number <paramref name="id"/>.</summary>
    public Task SendChannelOpenAsync(string type, uint id, uint window = 2 * 1024 * 1024, uint maxPacket = 32768) => SendAsync(w =>
    {
        w.WriteByte(MessageNumber.ChannelOpen);
        w.WriteString(type);
        w.WriteUInt32(id);
        w.WriteUInt32(window);
        w.WriteUInt32(maxPacket);
    });

    /// <summary>Opens a session channel; returns the server's channel number.</summary>
    public async Task<uint> OpenSessionAsync(uint id = 0)
    {
        await SendChannelOpenAsync("session", id);
        byte[] reply = await ReceiveAsync();
        Assert.Equal(MessageNumber.ChannelOpenConfirmation, reply[0]);
        Assert.Equal(id, BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(1)));
        return BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(5));
    }
}
