using Rx.Ssh.Keys;
using Rx.Ssh.Samples;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>math_client, gather_results, set_environment, set_terminal and the redirection samples run in-process against serve on a free port.</summary>
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
    public async Task GatherResultsRunsFiveTasksAgainstTheOneHostInListOrder()
    {
        ClientSampleRun run = await ClientSampleRun.RunAsync("gather_results", Context());

        // ls abc's outcome depends on this machine's home directory; the blocks' shape does not.
        string[] heads = [.. run.Out.Split('\n').Where(line => line.StartsWith("Task ", StringComparison.Ordinal))];
        Assert.Equal(5, heads.Length);
        Assert.All(heads.Select((line, i) => (line, i)), h => Assert.Matches($"^Task {h.i + 1} to host 127\\.0\\.0\\.1 (succeeded|exited with status [0-9]+):$", h.line));
        Assert.Equal(5, run.Out.Split('\n').Count(line => line == new string('-', 75)));
        Assert.EndsWith(new string('-', 75) + "\n", run.Out, StringComparison.Ordinal);
        Assert.Equal(("", 0), (run.Error, run.ExitCode));
    }

    [Fact]
    public async Task RedirectInputWritesTheReversedLinesToTheOutputFileAndPrintsNothing()
    {
        string file = Path.Combine(_dir, "stdout");

        ClientSampleRun run = await ClientSampleRun.RunAsync("redirect_input", Context() with { Output = file });

        Assert.Equal(new ClientSampleRun(0, "", ""), run);
        Assert.Equal("3\n2\n1\n", await File.ReadAllTextAsync(file));
    }

    [Theory]
    [InlineData("redirect_local_pipe")]
    [InlineData("redirect_remote_pipe")]
    public async Task RedirectPipesPrintTheReversedLines(string name)
    {
        ClientSampleRun run = await ClientSampleRun.RunAsync(name, Context());

        Assert.Equal(new ClientSampleRun(0, "3\n2\n1\n", ""), run);
    }

    [Fact]
    public async Task RedirectRemotePipeUsesOneConnection()
    {
        int connections = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable counting = _server!.Connections.Subscribe(_ =>
        {
            Interlocked.Increment(ref connections);
            first.TrySetResult();
        });

        ClientSampleRun run = await ClientSampleRun.RunAsync("redirect_remote_pipe", Context());

        Assert.Equal(0, run.ExitCode);

        // The server emits a connection on its own task, which may come after the sample has finished.
        await first.Task.WaitAsync(TestTimeout.Default);
        Assert.Equal(1, Volatile.Read(ref connections));
    }

    [Fact]
    public async Task SetEnvironmentPrintsOnlyStdout()
    {
        ClientSampleRun run = await ClientSampleRun.RunAsync("set_environment", Context());

        Assert.Contains("LANG=en_GB", run.Out.Split('\n'));
        Assert.Equal(("", 0), (run.Error, run.ExitCode));
    }

    private SampleContext Context() => ClientSampleRun.Context(Port, Path.Combine(_dir, "known_hosts"), Path.Combine(_dir, "id_ed25519"));

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
}
