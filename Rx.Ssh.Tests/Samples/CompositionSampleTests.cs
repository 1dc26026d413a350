using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Keys;
using Rx.Ssh.Samples;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>math_client, gather_results, set_environment and set_terminal run in-process against serve on a free port.</summary>
public sealed class CompositionSampleTests : IAsyncLifetime
{
    private readonly SshPrivateKey _hostKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly SshPrivateKey _userKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-samples-").FullName;
    private SshListener? _server;

    private int Port => _server!.Port;

    public async Task InitializeAsync()
    {
        _server = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [_hostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(_userKey.PublicKey.ToOpenSshString("test") + "\n"),
        });
        _userKey.Save(Path.Combine(_dir, "id_ed25519"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "known_hosts"), KnownHostsFile.FormatEntry("127.0.0.1", Port, _hostKey.PublicKey, hashed: false) + "\n");
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
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void EachSampleIsListed()
    {
        Assert.All(["math_client", "gather_results", "set_environment", "set_terminal"], name => Assert.NotNull(SampleCatalog.Find(name)));
    }

    [Fact]
    public async Task MathClientGetsOneAnswerPerSum()
    {
        (int code, string output) = await RunAsync("math_client");

        Assert.Equal("2+2 = 4\n1*2*3*4 = 24\n2^32 = 4294967296\n", output);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task SetEnvironmentShowsTheVariablesSent()
    {
        (int code, string output) = await RunAsync("set_environment");

        string[] lines = output.Split('\n');
        Assert.Contains("LANG=en_GB", lines);
        Assert.Contains("LC_COLLATE=C", lines);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task SetTerminalShowsTheTerminalTypeAndSize()
    {
        (int code, string output) = await RunAsync("set_terminal");

        Assert.Equal(["xterm-color", "24 80"], output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task GatherResultsPrintsOneBlockPerHost()
    {
        (int code, string output) = await RunAsync("gather_results", [$"127.0.0.1:{Port}", $"{Environment.UserName}@127.0.0.1"]);

        Assert.Contains($"== 127.0.0.1:{Port}: exit status 0\n", output, StringComparison.Ordinal);
        Assert.Contains($"== {Environment.UserName}@127.0.0.1:{Port}: exit status 0\n", output, StringComparison.Ordinal);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task GatherResultsReportsAFailingHostWithoutStoppingTheOthers()
    {
        int closed = ClosedPort();
        var hangUp = new TcpListener(IPAddress.Loopback, 0);
        hangUp.Start();
        int hangUpPort = ((IPEndPoint)hangUp.LocalEndpoint).Port;
        Task hungUp = HangUpOnceAsync(hangUp);

        (int code, string output) = await RunAsync("gather_results", [$"127.0.0.1:{closed}", $"127.0.0.1:{Port}", $"127.0.0.1:{hangUpPort}"]);
        await hungUp.WithTimeout();

        string[] blocks = output.Split("== ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, blocks.Length);
        Assert.Contains(blocks, b => b.StartsWith($"127.0.0.1:{closed}: failed: Cannot connect", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.StartsWith($"127.0.0.1:{Port}: exit status 0", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.StartsWith($"127.0.0.1:{hangUpPort}: failed: ", StringComparison.Ordinal));
        Assert.Equal(1, code);
    }

    private async Task<(int Code, string Output)> RunAsync(string name, string[]? hosts = null)
    {
        var output = new StringWriter();
        var context = new SampleContext
        {
            Host = "127.0.0.1",
            Port = Port,
            AllHosts = hosts ?? [],
            Keys = [Path.Combine(_dir, "id_ed25519")],
            KnownHosts = Path.Combine(_dir, "known_hosts"),
            Out = output,
            Error = output,
        };
        int code = await SampleCatalog.Find(name)!.RunAsync(context).WithTimeout();
        return (code, output.ToString());
    }

    // A peer that accepts one connection and closes it at once, before any SSH is spoken.
    private static async Task HangUpOnceAsync(TcpListener listener)
    {
        try
        {
            using Socket socket = await listener.AcceptSocketAsync();
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
