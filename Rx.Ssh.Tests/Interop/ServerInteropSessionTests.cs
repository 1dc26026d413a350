using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Less common ways OpenSSH's ssh uses a session against the Rx.Ssh server: a shell without a pty,
/// a subsystem, a break typed as <c>~B</c>, refused port forwarding, and several sessions
/// multiplexed over one connection (ControlMaster).
/// </summary>
public sealed class ServerInteropSessionTests : IAsyncLifetime
{
    private readonly TaskCompletionSource<SshServerConnection> _masterStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentBag<SshServerConnection> _muxConnections = [];
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = HandleAsync });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private async Task HandleAsync(SshServerProcess process)
    {
        switch (process.RequestType, process.Command ?? process.Subsystem)
        {
            case ("shell", _):
                string input = await process.Stdin.ReadToEndAsync();
                await process.Stdout.WriteAsync($"shell pty={process.Terminal is not null} got={input}");
                break;
            case ("subsystem", var name):
                await process.Stdout.WriteLineAsync($"subsystem {name} pty={process.Terminal is not null}");
                break;
            case ("exec", "breaks"):
                Task<int> firstBreak = process.Breaks.FirstAsync().ToTask();
                await process.Stdout.WriteLineAsync("ready");
                await process.Stdout.WriteLineAsync($"break {await firstBreak.WaitAsync(TestTimeout.Default)}");
                break;
            case ("exec", "master"):
                _masterStarted.TrySetResult(process.Connection);
                await process.Stdin.ReadToEndAsync();
                break;
            case ("exec", "mux"):
                _muxConnections.Add(process.Connection);
                await process.Stdout.WriteLineAsync("muxed");
                break;
            default:
                await ServerInteropCommands.HandleAsync(process);
                break;
        }
    }

    [Fact]
    public async Task A_shell_without_a_pty_gets_raw_stdin()
    {
        OpenSshClient ssh = Server.Client() with { Arguments = ["-T"] };

        ProcessResult result = await ssh.RunAsync(null, "typed\x7f\n"u8.ToArray());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("shell pty=False got=typed\x7f\n", result.StdoutText);
    }

    [Fact]
    public async Task A_subsystem_request_reaches_the_handler()
    {
        OpenSshClient ssh = Server.Client() with { Arguments = ["-s"] };

        ProcessResult result = await ssh.RunAsync("rx-test");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("subsystem rx-test pty=False\n", result.StdoutText);
    }

    [Fact]
    public async Task A_break_typed_as_tilde_b_reaches_the_process()
    {
        await using PtySession pty = Server.Client().StartPty("breaks");
        await pty.WaitForOutputAsync("ready");

        pty.Write("\r~B");

        await pty.WaitForOutputAsync("break 1000");
        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task Remote_port_forwarding_is_refused()
    {
        OpenSshClient ssh = Server.Client() with { Arguments = ["-R", "0:127.0.0.1:9"], Options = ["ExitOnForwardFailure=yes"] };

        ProcessResult result = await ssh.RunAsync("hello");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Contains("remote port forwarding failed", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_multiplexed_over_one_connection_all_run()
    {
        string directory = Directory.CreateTempSubdirectory("rxcm-").FullName;
        string controlPath = Path.Combine(directory, "cm");
        OpenSshClient master = Server.Client().WithOptions("ControlMaster=yes", "ControlPath=" + controlPath);
        OpenSshClient muxed = Server.Client().WithOptions("ControlMaster=no", "ControlPath=" + controlPath);
        using Process masterProcess = Process.Start(master.CreateStartInfo("master"))!;
        Task<string> masterErr = masterProcess.StandardError.ReadToEndAsync();
        try
        {
            // ssh listens on the control socket once authenticated, before it opens its own session.
            SshServerConnection connection = await _masterStarted.Task.WithTimeout();

            ProcessResult[] results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => muxed.RunAsync("mux")));
            Assert.All(results, r => Assert.True(r.ExitCode == 0 && r.StdoutText == "muxed\n", r.ToString()));
            Assert.Equal(4, _muxConnections.Count);
            Assert.All(_muxConnections, c => Assert.Same(connection, c));
            masterProcess.StandardInput.Close();
            await masterProcess.WaitForExitAsync().WithTimeout();
            Assert.True(masterProcess.ExitCode == 0, await masterErr);
        }
        finally
        {
            ProcessRunner.KillQuietly(masterProcess);
            KeyCache.TryDelete(directory);
        }
    }
}
