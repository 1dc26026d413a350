using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Transport;

/// <summary>RFC 8308 section 2.4: EXT_INFO only right after the first NEWKEYS, or from the server before USERAUTH_SUCCESS.</summary>
public sealed class ExtInfoPlacementTests
{
    private static byte[] ExtInfo(string algorithms = "ssh-rsa")
    {
        using var buffer = new SshBuffer();
        new ExtInfoMessage(new Dictionary<string, byte[]> { ["server-sig-algs"] = System.Text.Encoding.ASCII.GetBytes(algorithms) }).WriteTo(buffer);
        return buffer.ToArray();
    }

    private static SshBuffer ExtInfoBuffer()
    {
        var buffer = new SshBuffer();
        buffer.Writer.WriteRaw(ExtInfo());
        return buffer;
    }

    [Fact]
    public async Task The_client_refuses_plaintext_ext_info_before_the_first_newkeys()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var peer = new ScriptedKexPeer(serverStream);
        Task<SshClientConnection> client = SshClient.ConnectAsync(clientStream, "scripted", 22, InMemoryServer.DefaultClientOptions() with { LoginTimeout = TestTimeout.Default });
        await peer.ExchangeVersionsAsync();

        await peer.SendAsync(ExtInfo());

        Assert.Equal(DisconnectReason.ProtocolError, await peer.ExpectDisconnectAsync().WithTimeout());
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => client.WithTimeout());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("EXT_INFO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_plaintext_ext_info_before_the_first_newkeys()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var peer = new ScriptedKexPeer(clientStream);
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverStream, InMemoryServer.DefaultServerOptions());
        await peer.ExchangeVersionsAsync("SSH-2.0-ScriptedClient");

        await peer.SendAsync(ExtInfo());

        Assert.Equal(DisconnectReason.ProtocolError, await peer.ExpectDisconnectAsync().WithTimeout());
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WithTimeout());
        Assert.Contains("EXT_INFO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_takes_ext_info_right_after_newkeys_and_refuses_it_after_authentication()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        Assert.NotNull(pair.Client.Transport.ServerSignatureAlgorithms); // sent right after the server's NEWKEYS

        using (SshBuffer late = ExtInfoBuffer())
        {
            pair.Server.Transport.Send(late);
        }

        SshConnectionException error = Assert.IsType<SshConnectionException>(await pair.Client.Completion.WithTimeout());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("EXT_INFO", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_ext_info_that_is_not_the_first_packet_after_newkeys()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();

        using (SshBuffer late = ExtInfoBuffer())
        {
            pair.Client.Transport.Send(late);
        }

        SshConnectionException error = Assert.IsType<SshConnectionException>(await pair.Server.Completion.WithTimeout());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("EXT_INFO", error.Message, StringComparison.Ordinal);
    }
}
