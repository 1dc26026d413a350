using System.ComponentModel;
using System.Diagnostics;
using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Redirection;

/// <summary>
/// Redirections that go wrong (Rx.Ssh server in memory): the error reaches the caller with its
/// cause, the process's other stream and the connection's other channels carry on, nothing hangs.
/// </summary>
public sealed class RedirectionErrorTests
{
    private const string Missing = "/nonexistent/rx-ssh-no-such-program";
    private readonly RedirectCommands _commands = new();

    [Fact]
    public async Task ADestinationFailingMidStreamFailsTheExitWhileStderrStillArrives()
    {
        await using InMemoryServer pair = await StartAsync();
        using var full = new GatedStream(gated: false, failAfter: 1024 * 1024);
        using var errors = new MemoryStream();

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("both 4194304", new SshProcessOptions
        {
            Stdout = SshSink.ToStream(full, leaveOpen: true),
            Stderr = SshSink.ToStream(errors, leaveOpen: true),
        }).WaitAsync(TestTimeout.Default);

        var error = await Assert.ThrowsAsync<SshRedirectException>(() => process.WaitForExitAsync().WaitAsync(TestTimeout.Default));
        Assert.Equal(SshStandardStream.Stdout, error.Stream);
        Assert.False(error.SourceFailed);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal("done\n", Encoding.UTF8.GetString(errors.ToArray())); // stderr carried on past stdout's failure
        Assert.Equal("y\nx\n", (await pair.Client.RunAsync("tac", new SshProcessOptions { Input = "x\ny\n"u8.ToArray() }).WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task AnExplicitRedirectFailsAtOnceAndTheProcessStillEnds()
    {
        await using InMemoryServer pair = await StartAsync();
        using var full = new GatedStream(gated: false, failAfter: 64 * 1024);

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("both 8388608").WaitAsync(TestTimeout.Default);
        var error = await Assert.ThrowsAsync<SshRedirectException>(() => process.RedirectAsync(stdout: SshSink.ToStream(full), stderr: SshSink.Discard).WaitAsync(TestTimeout.Default));

        Assert.Equal(SshStandardStream.Stdout, error.Stream);
        Assert.Contains("No space left", error.Message, StringComparison.Ordinal);
        Assert.True((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded); // the rest of stdout was drained
    }

    [Fact]
    public async Task ARemoteProcessKilledMidTransferFailsThePipe()
    {
        await using InMemoryServer pair = await StartAsync();
        await using SshClientProcess source = await pair.Client.CreateProcessAsync("gen 33554432").WaitAsync(TestTimeout.Default);
        await using SshClientProcess victim = await pair.Client.CreateProcessAsync("die-after 1048576").WaitAsync(TestTimeout.Default);

        var error = await Assert.ThrowsAsync<SshRedirectException>(() => victim.RedirectAsync(stdin: SshSource.FromRemote(source)).WaitAsync(TestTimeout.Default));

        Assert.Equal(SshStandardStream.Stdin, error.Stream);
        Assert.False(error.SourceFailed);
        Assert.IsAssignableFrom<SshChannelException>(error.InnerException);
        Assert.Equal("KILL", (await victim.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitSignal);
        Assert.Equal("b\na\n", (await pair.Client.RunAsync("tac", new SshProcessOptions { Stdin = SshSource.FromString("a\nb\n") }).WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task AConnectionDroppedMidPipeFailsItWithTheCauseAndTheOtherConnectionCarriesOn()
    {
        var sourceCommands = new RedirectCommands();
        await using InMemoryServer first = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(sourceCommands.HandleAsync));
        await using InMemoryServer second = await StartAsync();
        await using SshClientProcess source = await first.Client.CreateProcessAsync("gen 67108864").WaitAsync(TestTimeout.Default);
        await using SshClientProcess digest = await second.Client.CreateProcessAsync("sha256").WaitAsync(TestTimeout.Default);
        Task<string> answer = digest.Stdout.ReadToEndAsync();

        Task pipe = digest.RedirectAsync(stdin: SshSource.FromRemote(source));
        await sourceCommands.SentAtLeast(1024 * 1024).WaitAsync(TestTimeout.Default);
        await first.Server.DisposeAsync(); // the source's server goes away mid-transfer

        var error = await Assert.ThrowsAsync<SshRedirectException>(() => pipe.WaitAsync(TestTimeout.Default));
        Assert.Equal(SshStandardStream.Stdin, error.Stream);
        Assert.True(error.SourceFailed);
        Assert.IsAssignableFrom<SshException>(error.InnerException);
        Assert.Equal(64, (await answer.WaitAsync(TestTimeout.Default)).Trim().Length); // EOF went on: sha256 finished with what it had
        Assert.True((await digest.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task ALocalSourceProcessThatCannotStartFailsTheRunAndTheRemoteGetsEof()
    {
        await using InMemoryServer pair = await StartAsync();

        var error = await Assert.ThrowsAsync<SshRedirectException>(() => pair.Client.RunAsync("cat", new SshProcessOptions { Stdin = SshSource.FromProcess(new ProcessStartInfo(Missing)) }).WaitAsync(TestTimeout.Default));

        Assert.Equal(SshStandardStream.Stdin, error.Stream);
        Assert.True(error.SourceFailed);
        Assert.IsType<Win32Exception>(error.InnerException);
    }

    [Fact]
    public async Task ALocalDestinationProcessThatCannotStartFailsTheRunAndTheOutputIsDrained()
    {
        await using InMemoryServer pair = await StartAsync();

        var error = await Assert.ThrowsAsync<SshRedirectException>(() => pair.Client.RunAsync("both 4194304", new SshProcessOptions { Stdout = SshSink.ToProcess(new ProcessStartInfo(Missing)) }).WaitAsync(TestTimeout.Default));

        Assert.Equal(SshStandardStream.Stdout, error.Stream);
        Assert.False(error.SourceFailed);
        Assert.IsType<Win32Exception>(error.InnerException);
    }

    [Fact]
    public async Task AMissingInputFileAndAFailingObservableReportTheirCause()
    {
        await using InMemoryServer pair = await StartAsync();

        var missing = await Assert.ThrowsAsync<SshRedirectException>(() => pair.Client.RunAsync("cat", new SshProcessOptions { Stdin = SshSource.FromFile("/nonexistent/input.txt") }).WaitAsync(TestTimeout.Default));
        Assert.IsAssignableFrom<IOException>(missing.InnerException);

        IObservable<string> failing = Observable.Return("partial\n").Concat(Observable.Throw<string>(new TimeoutException("the feed stalled")));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("cat").WaitAsync(TestTimeout.Default);
        Task<string> output = process.Stdout.ReadToEndAsync();
        var failed = await Assert.ThrowsAsync<SshRedirectException>(() => process.RedirectAsync(stdin: SshSource.FromObservable(failing)).WaitAsync(TestTimeout.Default));

        Assert.True(failed.SourceFailed);
        Assert.IsType<TimeoutException>(failed.InnerException?.InnerException);
        Assert.Equal("partial\n", await output.WaitAsync(TestTimeout.Default)); // EOF was still sent: cat ended
    }

    private Task<InMemoryServer> StartAsync() => InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(_commands.HandleAsync));
}
