using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// serve's log (samples.md: one line per connection and per session, through Microsoft.Extensions.Logging):
/// a successful session, a refused key and a broken handshake each leave their line, saying who, from where and why.
/// </summary>
public sealed class ServeLogTests : IAsyncLifetime
{
    private readonly SshPrivateKey _hostKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly SshPrivateKey _userKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly LogCollector _log = new();
    private SshListener? _server;

    private int Port => _server!.Port;

    public async Task InitializeAsync() =>
        _server = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [_hostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(_userKey.PublicKey.ToOpenSshString("test") + "\n"),
            Loggers = _log,
        }).WithTimeout();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisconnectAllAsync().WithTimeout();
            await _server.DisposeAsync();
        }

        _hostKey.Dispose();
        _userKey.Dispose();
    }

    [Fact]
    public async Task A_session_and_its_connection_each_get_one_line()
    {
        Task<string> connectionLine = _log.WaitForLineAsync("serve Information: connection ");

        await using (SshClientConnection client = await ConnectAsync(_userKey))
        {
            await client.RunAsync("exit 5").WithTimeout();
        }

        string connection = await connectionLine.WithTimeout();
        string user = Regex.Escape(Environment.UserName);
        Assert.Matches($@"^serve Information: connection {user}@127\.0\.0\.1:\d+ \(SSH-2\.0-[^)]+\): 1 session\(s\), (closed|ended: .+) after \d+\.\d\ds$", connection);
        string session = Assert.Single(_log.Lines, l => l.StartsWith("serve Information: session ", StringComparison.Ordinal));
        Assert.Matches($@"^serve Information: session {user}@127\.0\.0\.1:\d+ exec 'exit 5': exit 5 after \d+\.\d\ds$", session);
    }

    [Fact]
    public async Task A_direct_forward_reaches_its_destination_and_gets_one_line()
    {
        await using var echo = new Rx.Ssh.Tests.Server.Forwarding.EchoService();
        Task<string> forwardLine = _log.WaitForLineAsync("serve Information: forward ");

        await using (SshClientConnection client = await ConnectAsync(_userKey))
        {
            await using SshChannelStream channel = await client.OpenChannelAsync("direct-tcpip", Rx.Ssh.Tests.Server.Forwarding.ServerForwardingTests.DirectTcpip("127.0.0.1", echo.Port)).WithTimeout();
            await channel.WriteAsync("forwarded"u8.ToArray());
            await channel.CompleteWritingAsync();
            using var received = new MemoryStream();
            await channel.CopyToAsync(received).WithTimeout();
            Assert.Equal("forwarded", Encoding.UTF8.GetString(received.ToArray()));
        }

        string line = await forwardLine.WithTimeout();
        string user = Regex.Escape(Environment.UserName);
        Assert.Matches($@"^serve Information: forward {user}@127\.0\.0\.1:\d+ direct-tcpip 127\.0\.0\.1:{echo.Port} from 127\.0\.0\.1:40000: 9 bytes in, 9 bytes out, closed$", line);
    }

    [Fact]
    public async Task A_refused_key_logs_who_from_where_and_why()
    {
        using SshPrivateKey stranger = SshPrivateKey.Generate("ssh-ed25519");
        Task<string> refusedLine = _log.WaitForLineAsync("refused");

        await Assert.ThrowsAnyAsync<SshException>(() => ConnectAsync(stranger));

        string line = await refusedLine.WithTimeout();
        Assert.StartsWith("serve Warning: connection from 127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Contains($"login as {Environment.UserName} refused, ssh-ed25519 key {stranger.PublicKey.GetFingerprint()} not authorized, ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Lines, l => l.StartsWith("serve Information: connection ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broken_handshake_logs_from_where_and_why()
    {
        Task<string> brokenLine = _log.WaitForLineAsync("not authenticated");
        using (var tcp = new TcpClient(AddressFamily.InterNetwork))
        {
            await tcp.ConnectAsync("127.0.0.1", Port).WithTimeout();
            string local = tcp.Client.LocalEndPoint!.ToString()!;
            NetworkStream stream = tcp.GetStream();

            // A version line, then a packet whose length no server accepts.
            await stream.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-broken\r\n"));
            await stream.WriteAsync(Enumerable.Repeat((byte)0xFF, 64).ToArray());

            string line = await brokenLine.WithTimeout();
            Assert.StartsWith($"serve Warning: connection from {local}: not authenticated, ended: ", line, StringComparison.Ordinal);
            Assert.Matches(@"ended: \S.* after \d+\.\d\ds$", line);
        }
    }

    [Fact]
    public void The_console_logger_shows_serve_from_information_and_the_library_from_warning()
    {
        using ILoggerFactory console = ServeLog.CreateConsole();

        Assert.True(console.CreateLogger(ServeLog.Category).IsEnabled(LogLevel.Information));
        Assert.False(console.CreateLogger(ServeLog.LibraryCategory).IsEnabled(LogLevel.Information));
        Assert.True(console.CreateLogger(ServeLog.LibraryCategory).IsEnabled(LogLevel.Warning));
    }

    private Task<SshClientConnection> ConnectAsync(SshPrivateKey key) =>
        SshClient.ConnectAsync("127.0.0.1", Port, new SshClientOptions
        {
            Keys = [key],
            UseDefaultKeys = false,
            HostKeyVerifier = new CallbackHostKeyVerifier(context => _hostKey.PublicKey.Equals(context.Key)),
        }).WithTimeout();
}
