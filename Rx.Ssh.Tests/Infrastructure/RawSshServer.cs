using Rx.Ssh.Messages;
using Rx.Ssh.Testing;
using Rx.Ssh.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A scripted SSH server for client tests: the library's own transport with everything above it
/// written by hand. It accepts the first authentication request of any kind, then a test sends
/// exactly the connection messages it wants, including ones a real server never would.
/// </summary>
internal sealed class RawSshServer : RawSshPeer
{
    private RawSshServer(SshTransport transport)
        : base(transport)
    {
    }

    /// <summary>Connects an Rx.Ssh client (default in-memory options) to a raw server over an in-memory pair and logs it in.</summary>
    public static async Task<(RawSshServer Server, SshClientConnection Client)> StartInMemoryAsync(SshClientOptions? options = null)
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var transport = new SshTransport(serverStream, new TransportSettings
        {
            IsServer = true,
            Algorithms = SshAlgorithms.Default,
            HostKeys = [InMemoryServer.HostKey],
            Version = "SSH-2.0-RawTestServer",
        });
        Task<SshClientConnection> client = SshClient.ConnectAsync(clientStream, "localhost", 22, options ?? InMemoryServer.DefaultClientOptions());
        await transport.StartAsync(CancellationToken.None).WaitAsync(TestTimeout.Default);
        var server = new RawSshServer(transport);

        Assert.Equal(MessageNumber.ServiceRequest, (await server.ReceiveAsync())[0]);
        await server.SendAsync(w =>
        {
            w.WriteByte(MessageNumber.ServiceAccept);
            w.WriteString("ssh-userauth");
        });
        Assert.Equal(MessageNumber.UserAuthRequest, (await server.ReceiveAsync())[0]);
        await server.SendAsync(w => w.WriteByte(MessageNumber.UserAuthSuccess));
        return (server, await client.WaitAsync(TestTimeout.Default));
    }

    /// <summary>Waits for the client's CHANNEL_OPEN of <paramref name="type"/>; returns the client's channel number.</summary>
    public async Task<uint> ReceiveChannelOpenAsync(string type = "session")
    {
        byte[] open = await ReceiveAsync();
        Assert.Equal(MessageNumber.ChannelOpen, open[0]);
        var r = new SshReader(open.AsSpan(1));
        Assert.Equal(type, r.ReadAsciiString());
        return r.ReadUInt32();
    }

    /// <summary>CHANNEL_OPEN_CONFIRMATION for the client's channel <paramref name="recipient"/>, ours being <paramref name="sender"/>.</summary>
    public Task SendOpenConfirmationAsync(uint recipient, uint sender, uint window = 2 * 1024 * 1024, uint maxPacket = 32768) => SendAsync(w =>
    {
        w.WriteByte(MessageNumber.ChannelOpenConfirmation);
        w.WriteUInt32(recipient);
        w.WriteUInt32(sender);
        w.WriteUInt32(window);
        w.WriteUInt32(maxPacket);
    });
}
