using System.Text;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Transport;

/// <summary>
/// What the peer writes reaches exceptions, logs and the banner callback sanitized (issue 9, L11),
/// and identification strings must be printable US-ASCII (issue 9, L14; RFC 4253 section 4.2).
/// </summary>
public sealed class PeerTextSanitizingTests
{
    private const string Hostile = "bye\u001b[2J\u001b]0;owned\u0007\nWARN forged log line\u202E";

    [Fact]
    public async Task A_disconnect_description_reaches_the_exception_escaped()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        using (var buffer = new SshBuffer())
        {
            new DisconnectMessage(DisconnectReason.HostNotAllowedToConnect, Hostile).WriteTo(buffer);
            pair.Server.Transport.Send(buffer);
        }

        SshConnectionException error = Assert.IsType<SshConnectionException>(await pair.Client.Completion.WithTimeout());

        Assert.Equal(DisconnectReason.HostNotAllowedToConnect, error.Reason);
        Assert.Contains("bye\\033[2J\\033]0;owned\\007\\012WARN forged log line\\u{202E}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_debug_message_is_logged_escaped()
    {
        var logged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logger = new CapturingLogger(line =>
        {
            if (line.StartsWith("Peer debug message", StringComparison.Ordinal))
            {
                logged.TrySetResult(line);
            }
        });
        await using InMemoryServer pair = await InMemoryServer.StartAsync(client: InMemoryServer.DefaultClientOptions() with { Logger = logger });
        using (var buffer = new SshBuffer())
        {
            buffer.Writer.WriteByte(MessageNumber.Debug);
            buffer.Writer.WriteBoolean(true);
            buffer.Writer.WriteString(Hostile);
            buffer.Writer.WriteString(string.Empty);
            pair.Server.Transport.Send(buffer);
        }

        string line = await logged.Task.WithTimeout();

        Assert.Equal("Peer debug message: bye\\033[2J\\033]0;owned\\007\\012WARN forged log line\\u{202E}", line);
    }

    [Fact]
    public async Task A_banner_keeps_its_lines_but_loses_terminal_escapes()
    {
        var banners = new List<string>();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions() with { Banner = "Welcome\r\n\tauthorized use only\n\u001b[31mred\u001b[0m\u001b]52;c;cGF5bG9hZA==\u0007\n" },
            InMemoryServer.DefaultClientOptions() with { BannerReceived = banners.Add });

        string banner = Assert.Single(banners);
        Assert.Equal("Welcome\r\n\tauthorized use only\n\\033[31mred\\033[0m\\033]52;c;cGF5bG9hZA==\\007\n", banner);
    }

    [Fact]
    public async Task The_client_refuses_a_non_ascii_identification_string()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshClientConnection> client = SshClient.ConnectAsync(clientStream, "scripted", 22, InMemoryServer.DefaultClientOptions() with { LoginTimeout = TestTimeout.Default });

        await serverStream.WriteAsync(Encoding.UTF8.GetBytes("SSH-2.0-Serveur_été\r\n"));

        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => client.WithTimeout());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("byte 0xC3 at offset 16", error.Message, StringComparison.Ordinal);
        Assert.Contains("'SSH-2.0-Serveur_'", error.Message, StringComparison.Ordinal);
        Assert.Contains("US-ASCII", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_refuses_an_identification_string_with_a_control_character()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverStream, InMemoryServer.DefaultServerOptions());

        await clientStream.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-Client \u001b[2J\r\n"));

        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WithTimeout());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("byte 0x1B at offset 15", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_before_the_identification_may_be_utf8_and_errors_about_them_are_escaped()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var peer = new ScriptedKexPeer(serverStream);
        Task<SshClientConnection> client = SshClient.ConnectAsync(clientStream, "scripted", 22, InMemoryServer.DefaultClientOptions() with { LoginTimeout = TestTimeout.Default });
        await serverStream.WriteAsync(Encoding.UTF8.GetBytes("Bienvenue, été\r\n"));
        await peer.ExchangeVersionsAsync("SSH-2.0-Scripted");
        Assert.Equal(MessageNumber.KexInit, (await peer.ReceiveAsync().WithTimeout())[0]); // the identification was accepted
        await serverStream.DisposeAsync();
        await Assert.ThrowsAnyAsync<SshConnectionException>(() => client.WithTimeout());

        (Stream clientStream2, Stream serverStream2) = InMemoryStream.CreatePair();
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverStream2, InMemoryServer.DefaultServerOptions());
        await clientStream2.WriteAsync(Encoding.UTF8.GetBytes("GET /\u001b[2J HTTP/1.1\r\n"));
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WithTimeout());
        Assert.Contains("'GET /\\033[2J HTTP/1.1'", error.Message, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger(Action<string> onLine) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            onLine(formatter(state, exception));
    }
}
