using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Server;

public sealed class ServerSessionTests
{
    [Fact]
    public async Task ExecRunsTheHandlerAndReturnsItsOutputAndStatus()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync($"user={p.UserName} command={p.Command}\n");
            await p.Stderr.WriteAsync("oops\n");
            p.ExitStatus = 3;
        }));

        SshCompletedProcess result = await pair.Client.RunAsync("do things").WaitAsync(TestTimeout.Default);

        Assert.Equal("user=alice command=do things\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
        Assert.Equal(3, result.ExitStatus);
    }

    [Fact]
    public async Task StdinIsReadLineByLineUntilEof()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            int total = 0;
            while (await p.Stdin.ReadLineAsync() is { } line)
            {
                total += int.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
            }

            await p.Stdout.WriteAsync($"Total = {total}\n");
        }));

        SshCompletedProcess result = await pair.Client.RunAsync("sum", new SshProcessOptions { Input = Encoding.UTF8.GetBytes("1\n2\n39\n") }).WaitAsync(TestTimeout.Default);

        Assert.Equal("Total = 42\n", result.Stdout);
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public async Task EnvironmentAndTerminalReachTheProcess()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync($"{p.Environment["LANG"]} {p.Terminal?.TerminalType} {p.Terminal?.Columns}x{p.Terminal?.Rows}\n");
        }));

        SshCompletedProcess result = await pair.Client.RunAsync("env", new SshProcessOptions
        {
            Environment = new Dictionary<string, string> { ["LANG"] = "en_GB.UTF-8" },
            Terminal = new SshTerminal("xterm-color", 100, 40),
        }).WaitAsync(TestTimeout.Default);

        Assert.Equal("en_GB.UTF-8 xterm-color 100x40\r\n", result.Stdout);
    }

    [Fact]
    public async Task ExitWithSignalReachesTheClient()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.ExitWithSignalAsync("TERM", false, "terminated")));

        SshCompletedProcess result = await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default);

        Assert.Equal("TERM", result.ExitSignal);
        Assert.Null(result.ExitStatus);
    }

    [Fact]
    public async Task TheServersExitRecordIsTheOneTheClientReadsBack()
    {
        var sent = new SshProcessExit(null, "SEGV", CoreDumped: true, Message: "bad address");
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.ExitAsync(sent)));

        SshCompletedProcess result = await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default);
        SshClientProcess process = await pair.Client.CreateProcessAsync("y").WaitAsync(TestTimeout.Default);
        SshProcessExit read = await process.WaitForExitAsync().WaitAsync(TestTimeout.Default);
        await process.DisposeAsync();

        Assert.Equal(sent, result.Exit);
        Assert.Equal(sent, read);
        Assert.Equal(-1, result.ExitCode);
    }

    [Fact]
    public async Task AnExitStatusRecordGivesItsStatusAsExitCode()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.ExitAsync(new SshProcessExit(9))));

        SshCompletedProcess result = await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default);

        Assert.Equal(new SshProcessExit(9), result.Exit);
        Assert.Equal(9, result.ExitCode);
    }

    [Fact]
    public async Task AHandlerThatReturnsAtOnceStillAnswersTheExecAndExits()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(_ => Task.CompletedTask));

        for (int i = 0; i < 20; i++)
        {
            SshCompletedProcess result = await pair.Client.RunAsync("true").WaitAsync(TestTimeout.Default);
            Assert.Equal(0, result.ExitStatus);
        }
    }

    [Fact]
    public async Task SessionsBeyondMaxSessionsAreRefusedWithResourceShortage()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(_ => release.Task) with { MaxSessions = 2 });
        Task<SshCompletedProcess> first = pair.Client.RunAsync("a");
        Task<SshCompletedProcess> second = pair.Client.RunAsync("b");

        // The two opens above went out first on the same connection, so the server counts them before this one.
        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.RunAsync("c").WaitAsync(TestTimeout.Default));

        Assert.Equal(ChannelOpenFailureReason.ResourceShortage, refused.Reason);
        release.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TestTimeout.Default);
        Assert.Equal(0, (await pair.Client.RunAsync("d").WaitAsync(TestTimeout.Default)).ExitStatus);
    }

    [Fact]
    public async Task WrongPasswordIsRefused()
    {
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Password = "wrong" };

        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemoryServer.StartAsync(client: client));
    }
}
