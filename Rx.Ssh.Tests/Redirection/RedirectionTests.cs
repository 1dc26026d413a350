using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Redirection;

/// <summary>Each kind of redirection source and destination against the Rx.Ssh server (in memory).</summary>
public sealed class RedirectionTests : IDisposable
{
    private readonly RedirectCommands _commands = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-redirect-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StringInputAndFileOutputThroughRun()
    {
        await using InMemoryServer pair = await StartAsync();
        string file = Path.Combine(_dir, "out.txt");

        SshCompletedProcess result = await pair.Client.RunAsync("tac", new SshProcessOptions
        {
            Stdin = SshSource.FromString("1\n2\n3\n"),
            Stdout = SshSink.ToFile(file),
        }).WaitAsync(TestTimeout.Default);

        Assert.Equal(0, result.ExitStatus);
        Assert.Equal(string.Empty, result.Stdout); // redirected, not captured
        Assert.Equal("3\n2\n1\n", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task BytesInputAndStreamOutputThroughCreateProcess()
    {
        await using InMemoryServer pair = await StartAsync();
        using var output = new MemoryStream();

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("upper", new SshProcessOptions
        {
            Stdin = SshSource.FromBytes("hello, world"u8.ToArray()),
            Stdout = SshSink.ToStream(output, leaveOpen: true),
            Stderr = SshSink.Discard,
        }).WaitAsync(TestTimeout.Default);

        Assert.True((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
        Assert.Equal("HELLO, WORLD", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task FileInputAndExplicitRedirectOnAnExistingProcess()
    {
        await using InMemoryServer pair = await StartAsync();
        string input = Path.Combine(_dir, "in.txt");
        await File.WriteAllTextAsync(input, "from a file\n");
        using var output = new MemoryStream();

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("upper").WaitAsync(TestTimeout.Default);
        await process.RedirectAsync(SshSource.FromFile(input), SshSink.ToStream(output, leaveOpen: true), SshSink.Discard).WaitAsync(TestTimeout.Default);

        Assert.Equal("FROM A FILE\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.True((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task LocalProcessOutputFeedsTheRemoteProcessWhoseOutputFeedsALocalProcess()
    {
        await using InMemoryServer pair = await StartAsync();
        var source = new ProcessStartInfo("printf", ["one\\ntwo\\n"]);
        using Process wc = Process.Start(new ProcessStartInfo("wc", ["-c"]) { RedirectStandardInput = true, RedirectStandardOutput = true })!;

        SshCompletedProcess result = await pair.Client.RunAsync("upper", new SshProcessOptions
        {
            Stdin = SshSource.FromProcess(source),
            Stdout = SshSink.ToProcess(wc),
        }).WaitAsync(TestTimeout.Default);

        Assert.Equal(0, result.ExitStatus);
        Assert.Equal("8", (await wc.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeout.Default)).Trim());
    }

    [Fact]
    public async Task LocalProcessesStartedByTheRedirection()
    {
        await using InMemoryServer pair = await StartAsync();
        string file = Path.Combine(_dir, "upper.txt");
        var sink = new ProcessStartInfo("sh", ["-c", $"cat > '{file}'"]);

        SshCompletedProcess result = await pair.Client.RunAsync("upper", new SshProcessOptions
        {
            Stdin = SshSource.FromProcess(new ProcessStartInfo("echo", ["abc"])),
            Stdout = SshSink.ToProcess(sink),
        }).WaitAsync(TestTimeout.Default);

        Assert.Equal(0, result.ExitStatus);
        Assert.Equal("ABC\n", await File.ReadAllTextAsync(file)); // the sink process was waited for
    }

    [Fact]
    public async Task ObservableInputIsTakenChunkByChunk()
    {
        await using InMemoryServer pair = await StartAsync();
        IObservable<string> lines = Observable.Range(1, 1000).Select(i => $"line {i}\n");

        SshCompletedProcess result = await pair.Client.RunAsync("cat", new SshProcessOptions { Stdin = SshSource.FromObservable(lines) }).WaitAsync(TestTimeout.Default);

        Assert.Equal(string.Concat(Enumerable.Range(1, 1000).Select(i => $"line {i}\n")), result.Stdout);
    }

    [Fact]
    public async Task ExecTakesAStdinSource()
    {
        await using InMemoryServer pair = await StartAsync();

        var data = await pair.Client.Exec("tac", new SshProcessOptions { Stdin = SshSource.FromString("a\nb\n") })
            .OfType<SshDataReceived>()
            .Select(d => Encoding.UTF8.GetString(d.Data.Span))
            .ToList()
            .ToTask()
            .WaitAsync(TestTimeout.Default);

        Assert.Equal("b\na\n", string.Concat(data));
        Assert.Throws<ArgumentException>(() => pair.Client.Exec("tac", new SshProcessOptions { Stdout = SshSink.Discard }));
        await Assert.ThrowsAsync<ArgumentException>(() => pair.Client.RunAsync("tac", new SshProcessOptions { Input = "x"u8.ToArray(), Stdin = SshSource.FromString("x") }));
    }

    [Fact]
    public async Task RemoteOutputFeedsAnotherRemoteProcessOnAnotherConnection()
    {
        await using InMemoryServer first = await StartAsync();
        await using InMemoryServer second = await StartAsync();
        const long size = 4 * 1024 * 1024;

        await using SshClientProcess source = await first.Client.CreateProcessAsync($"gen {size}").WaitAsync(TestTimeout.Default);
        SshCompletedProcess digest = await second.Client.RunAsync("sha256", new SshProcessOptions { Stdin = SshSource.FromRemote(source) }).WaitAsync(TestTimeout.Long);

        Assert.Equal(RedirectCommands.Sha256OfGenerated(size), digest.Stdout.Trim());
        Assert.True((await source.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task ServerProcessRedirectsItsClientToAFileAndFromAString()
    {
        string file = Path.Combine(_dir, "from-client.txt");
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p =>
            p.RedirectAsync(SshSink.ToFile(file), SshSource.FromString("stored\n"), SshSource.FromString("note\n"))));

        SshCompletedProcess result = await pair.Client.RunAsync("store", new SshProcessOptions { Input = "client data"u8.ToArray() }).WaitAsync(TestTimeout.Default);

        Assert.Equal("stored\n", result.Stdout);
        Assert.Equal("note\n", result.Stderr);
        Assert.Equal("client data", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task ServerProcessProxiesToAClientProcessOnAnotherConnection()
    {
        // A jump host in a few lines: the session's stdin goes to a process on another server and its output comes back.
        await using InMemoryServer backend = await StartAsync();
        await using InMemoryServer front = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await using SshClientProcess inner = await backend.Client.CreateProcessAsync("upper");
            await p.RedirectAsync(SshSink.ToRemote(inner), SshSource.FromRemote(inner), SshSource.FromRemote(inner, stderr: true));
        }));

        SshCompletedProcess result = await front.Client.RunAsync("proxy", new SshProcessOptions { Stdin = SshSource.FromString("through two hops") }).WaitAsync(TestTimeout.Default);

        Assert.Equal("THROUGH TWO HOPS", result.Stdout);
    }

    private Task<InMemoryServer> StartAsync() => InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(_commands.HandleAsync));
}
