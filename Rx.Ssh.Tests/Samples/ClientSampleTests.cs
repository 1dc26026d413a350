using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// The <c>ls abc</c> client samples (simple_client, check_exit_status, the callback clients,
/// gather_results) against an Rx.Ssh server that answers <c>ls abc</c> as a home with an
/// <c>abc</c> directory would (user <see cref="WithAbc"/>) or as one without (anyone else): every
/// line of stdout and of stderr, and the exit code, exactly as samples.md says.
/// </summary>
public sealed class ClientSampleTests : IAsyncLifetime
{
    private const string WithAbc = "withabc";
    private const string Dropped = "dropped";
    private const string Listing = "example.txt\n";
    private const string NoSuchFile = "ls: cannot access 'abc': No such file or directory\n";
    private static readonly string Separator = new string('-', 75) + "\n";
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() => _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
    {
        ProcessHandler = async process =>
        {
            if (process.Command != "ls abc")
            {
                await process.Stderr.WriteAsync($"unexpected command {process.Command}\n");
                process.ExitStatus = 127;
            }
            else if (process.UserName == Dropped)
            {
                await process.Stdout.WriteAsync(Listing);
                await process.Connection.DisposeAsync(); // the connection ends mid-session
            }
            else if (process.UserName == WithAbc)
            {
                await process.Stdout.WriteAsync(Listing);
            }
            else
            {
                await process.Stderr.WriteAsync(NoSuchFile);
                process.ExitStatus = 2;
            }
        },
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task SimpleClient_PrintsTheListing()
    {
        ClientSampleRun run = await RunAsync("simple_client", WithAbc);

        Assert.Equal(new ClientSampleRun(0, Listing, ""), run);
    }

    [Fact]
    public async Task SimpleClient_PrintsTheCommandsStderrOnStdoutAndTheStatusOnStderr()
    {
        ClientSampleRun run = await RunAsync("simple_client");

        Assert.Equal(new ClientSampleRun(1, NoSuchFile, "Process exited with status 2\n"), run);
    }

    [Fact]
    public async Task ClientSamples_HonourTheOpenSshConfig()
    {
        // Host, port, user, key and known hosts all come from the file (ssh -F), the host given is an alias.
        string config = Path.Combine(Path.GetTempPath(), $"rxssh-sample-config-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(config, $"""
            Host lab
              HostName 127.0.0.1
              Port {Server.Port}
              User {WithAbc}
              IdentityFile {TestKeys.Ed25519.PrivateKeyPath}
              UserKnownHostsFile {Server.KnownHostsPath}
            """);
        try
        {
            var context = new SampleContext { Host = "lab", Config = config };
            Assert.Equal(new ClientSampleRun(0, Listing, ""), await ClientSampleRun.RunAsync("simple_client", context));

            ClientSampleRun gathered = await ClientSampleRun.RunAsync("gather_results", context with { AllHosts = ["lab"] });
            Assert.Equal(0, gathered.ExitCode);
            Assert.Equal(5, gathered.Out.Split('\n').Count(l => l.StartsWith("Task ", StringComparison.Ordinal) && l.EndsWith(" to host lab succeeded:", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task CheckExitStatus_PrintsTheListing()
    {
        ClientSampleRun run = await RunAsync("check_exit_status", WithAbc);

        Assert.Equal(new ClientSampleRun(0, Listing, ""), run);
    }

    [Fact]
    public async Task CheckExitStatus_PrintsStderrAndTheStatusOnStderr()
    {
        ClientSampleRun run = await RunAsync("check_exit_status");

        Assert.Equal(new ClientSampleRun(0, "", NoSuchFile + "Program exited with status 2\n"), run);
    }

    [Theory]
    [InlineData(WithAbc, Listing)]
    [InlineData("alice", NoSuchFile)]
    public async Task CallbackClient_PrintsTheConnectionEventsThenTheData(string user, string data)
    {
        ClientSampleRun run = await RunAsync("callback_client", user);

        Assert.Equal(new ClientSampleRun(0, "Connection made to 127.0.0.1.\nAuthentication successful.\n" + data, ""), run);
    }

    [Theory]
    [InlineData(WithAbc, Listing)]
    [InlineData("alice", NoSuchFile)]
    public async Task CallbackClient2_PrintsOnlyTheData(string user, string data)
    {
        ClientSampleRun run = await RunAsync("callback_client2", user);

        Assert.Equal(new ClientSampleRun(0, data, ""), run);
    }

    [Theory]
    [InlineData(WithAbc, Listing, "")]
    [InlineData("alice", "", NoSuchFile)]
    public async Task CallbackClient3_PrintsStdoutDataOnStdoutAndStderrDataOnStderr(string user, string stdout, string stderr)
    {
        ClientSampleRun run = await RunAsync("callback_client3", user);

        Assert.Equal(new ClientSampleRun(0, stdout, stderr), run);
    }

    [Theory]
    [InlineData("callback_client", "Connection made to 127.0.0.1.\nAuthentication successful.\n")]
    [InlineData("callback_client2", "")]
    [InlineData("callback_client3", "")]
    public async Task CallbackClients_ReportASessionErrorOnStderr(string name, string events)
    {
        ClientSampleRun run = await RunAsync(name, Dropped);

        Assert.Equal(events + Listing, run.Out);
        Assert.StartsWith("SSH session error: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, run.ExitCode);
    }

    [Theory]
    [InlineData("simple_client")]
    [InlineData("check_exit_status")]
    [InlineData("callback_client")]
    [InlineData("callback_client2")]
    [InlineData("callback_client3")]
    public async Task AFailedConnectionIsOneLineOnStderrAndExitCode1(string name)
    {
        ClientSampleRun run = await ClientSampleRun.RunAsync(name, Context() with { Port = ClosedPort() });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("SSH connection failed: Cannot connect to 127.0.0.1 port ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task GatherResults_RunsFiveTasksAgainstTheOneHostGiven()
    {
        ClientSampleRun run = await RunAsync("gather_results");

        string expected = string.Concat(Enumerable.Range(1, 5).Select(i => $"Task {i} to host 127.0.0.1 exited with status 2:\n{NoSuchFile}{Separator}"));
        Assert.Equal(new ClientSampleRun(0, expected, ""), run);
    }

    [Fact]
    public async Task GatherResults_PrintsEachOutcomeInListOrder()
    {
        int closed = ClosedPort();
        string[] hosts = [$"{WithAbc}@127.0.0.1:{Server.Port}", $"127.0.0.1:{closed}", $"alice@127.0.0.1:{Server.Port}"];

        ClientSampleRun run = await ClientSampleRun.RunAsync("gather_results", Context() with { AllHosts = hosts });

        string[] lines = run.Out.Split('\n');
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Equal($"Task 1 to host {hosts[0]} succeeded:", lines[0]);
        Assert.Equal(Listing.TrimEnd('\n'), lines[1]);
        Assert.Equal(Separator.TrimEnd('\n'), lines[2]);
        Assert.StartsWith($"Task 2 to host {hosts[1]} failed: Cannot connect to 127.0.0.1 port {closed}", lines[3], StringComparison.Ordinal);
        Assert.Equal(Separator.TrimEnd('\n'), lines[4]);
        Assert.Equal($"Task 3 to host {hosts[2]} exited with status 2:", lines[5]);
        Assert.Equal(NoSuchFile.TrimEnd('\n'), lines[6]);
        Assert.Equal(Separator.TrimEnd('\n'), lines[7]);
        Assert.Equal(9, lines.Length); // the last block's separator ends the output
        Assert.Equal("", lines[8]);
    }

    [Fact]
    public void TheNewOptionsAreOnTheSharedCommandLine()
    {
        SampleContext? parsed = null;
        int code = CommandLine.Build((_, context) =>
        {
            parsed = context;
            return Task.FromResult(0);
        }).Parse(["list", "--output", "/x/out", "--listen-port", "8181", "--allow-port", "8079", "--root", "/srv", "--commands", "ls;; echo hi ;;date"]).Invoke();

        Assert.Equal(0, code);
        Assert.NotNull(parsed);
        Assert.Equal("/x/out", parsed.Output);
        Assert.Equal(8181, parsed.ListenPort);
        Assert.Equal(8079, parsed.AllowPort);
        Assert.Equal("/srv", parsed.Root);
        Assert.Equal(["ls", "echo hi", "date"], parsed.Commands);
    }

    [Fact]
    public void TheNewOptionsHaveTheDocumentsDefaults()
    {
        SampleContext? parsed = null;
        CommandLine.Build((_, context) =>
        {
            parsed = context;
            return Task.FromResult(0);
        }).Parse(["list"]).Invoke();

        Assert.NotNull(parsed);
        Assert.Equal("/tmp/stdout", parsed.Output);
        Assert.Null(parsed.ListenPort);
        Assert.Null(parsed.AllowPort);
        Assert.Null(parsed.Commands);
        Assert.Equal("localhost", parsed.Host);
    }

    private Task<ClientSampleRun> RunAsync(string name, string user = "alice") =>
        ClientSampleRun.RunAsync(name, Context(user));

    private SampleContext Context(string user = "alice") =>
        ClientSampleRun.Context(Server.Port, Server.KnownHostsPath, TestKeys.Ed25519.PrivateKeyPath, user);

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
