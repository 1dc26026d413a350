using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Samples;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>serve, started in-process on a free port, driven by the Rx.Ssh client and by OpenSSH's ssh.</summary>
public sealed class ServeTests : IAsyncLifetime
{
    private readonly SshPrivateKey _hostKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly SshPrivateKey _userKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly LogCollector _log = new();
    private SshListener? _server;

    private int Port => _server!.Port;

    public async Task InitializeAsync()
    {
        _server = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [_hostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(_userKey.PublicKey.ToOpenSshString("test") + "\n"),
            Loggers = _log,
        });
    }

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
    public async Task ExecReturnsStdoutStderrAndExitStatus()
    {
        SshCompletedProcess result = await RunAsync("echo hi; echo err >&2; exit 3");

        Assert.Equal("hi\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.Equal(3, result.ExitStatus);
        Assert.Null(result.ExitSignal);
    }

    [Fact]
    public async Task EnvironmentTheClientSendsIsPassedOn()
    {
        SshCompletedProcess result = await RunAsync("echo $FOO", new SshProcessOptions { Environment = new Dictionary<string, string> { ["FOO"] = "bar baz" } });

        Assert.Equal("bar baz\n", result.Stdout);
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public async Task ACommandKilledByASignalGivesExitSignal()
    {
        SshCompletedProcess result = await RunAsync("kill -TERM $$");

        Assert.Equal("TERM", result.ExitSignal);
        Assert.Null(result.ExitStatus);
    }

    [Fact]
    public async Task ExitStatusOfAShellCodeThatLooksLikeASignalStaysAStatus()
    {
        SshCompletedProcess result = await RunAsync("exit 143");

        Assert.Equal(143, result.ExitStatus);
        Assert.Null(result.ExitSignal);
    }

    [Fact]
    public async Task StdinReachesTheCommandUntilEof()
    {
        byte[] input = new byte[1_000_000];
        Random.Shared.NextBytes(input);

        SshCompletedProcess result = await RunAsync("wc -c", new SshProcessOptions { Input = input }, TestTimeout.Long);

        Assert.Equal("1000000", result.Stdout.Trim());
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public async Task APtySessionRunsOnARealTerminalOfTheRequestedSize()
    {
        SshCompletedProcess result = await RunAsync("tty; stty size; echo $TERM", new SshProcessOptions { Terminal = new SshTerminal("xterm-color", 100, 40) });

        string[] lines = result.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("/dev/pts/", lines[0], StringComparison.Ordinal);
        Assert.Equal("40 100", lines[1]);
        Assert.Equal("xterm-color", lines[2]);
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public async Task OpenSshClientGetsATerminalWithSshTt()
    {
        string dir = Directory.CreateTempSubdirectory("rxssh-serve-").FullName;
        try
        {
            string key = Path.Combine(dir, "id");
            _userKey.Save(key);
            var ssh = new OpenSshClient { Port = Port, IdentityFile = key, Arguments = ["-tt"], Options = ["LogLevel=ERROR"] };

            ProcessResult result = await ssh.RunAsync("tty; echo $TERM; exit 4");

            Assert.Equal(4, result.ExitCode);
            Assert.Contains("/dev/pts/", result.StdoutText, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task OpenSshClientStreamsThroughPipes()
    {
        string dir = Directory.CreateTempSubdirectory("rxssh-serve-").FullName;
        try
        {
            string key = Path.Combine(dir, "id");
            _userKey.Save(key);
            var ssh = new OpenSshClient { Port = Port, IdentityFile = key, Options = ["LogLevel=ERROR"], Timeout = TestTimeout.Long };

            ProcessResult result = await ssh.RunAsync("head -c 3000000 /dev/zero | wc -c; cat | wc -c", new byte[2_000_000]);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(["3000000", "2000000"], result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task MissingRootDirectoryIsOneClearError()
    {
        var error = new StringWriter();
        ServeSettings? settings = await ServeCommand.LoadSettingsAsync(new SampleContext { Root = "/no/such/dir", Out = TextWriter.Null, Error = error });

        Assert.Null(settings);
        Assert.Contains("/no/such/dir", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingHostKeyFileIsOneClearError()
    {
        var error = new StringWriter();
        ServeSettings? settings = await ServeCommand.LoadSettingsAsync(new SampleContext { HostKeys = ["/no/such/key"], Out = TextWriter.Null, Error = error });

        Assert.Null(settings);
        Assert.Contains("/no/such/key", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTourRunsEverySampleAgainstTheEmbeddedServer()
    {
        var output = new StringWriter();

        int code = await Tour.RunAsync(new SampleContext { Out = output, Error = output }).WithTimeout(TestTimeout.Long);

        Assert.True(code == 0, output.ToString());
        Assert.Contains("every sample did what it should", output.ToString(), StringComparison.Ordinal);
        foreach (string name in (string[])["local_forwarding_client", "local_forwarding_client2", "remote_forwarding_client", "remote_forwarding_client2", "direct_client", "stream_direct_client", "listening_client", "stream_listening_client", "sftp_client"])
        {
            Assert.Contains($"== {name} (ok)\n", output.ToString(), StringComparison.Ordinal);
        }
    }

    private async Task<SshCompletedProcess> RunAsync(string command, SshProcessOptions? options = null, TimeSpan? timeout = null)
    {
        var client = new SshClientOptions
        {
            Keys = [_userKey],
            UseDefaultKeys = false,
            HostKeyVerifier = new CallbackHostKeyVerifier(context => _hostKey.PublicKey.Equals(context.Key)),
        };
        await using SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", Port, client).WithTimeout();
        return await connection.RunAsync(command, options).WithTimeout(timeout);
    }
}
