using System.Reactive.Linq;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Client;

/// <summary>Same-named operations on SshHost and SshClientConnection have the same lifetime (issue 11).</summary>
public sealed class SameLifetimeTests
{
    [Fact]
    public async Task ConnectionCreateProcessStaysOpenWhileTheProcessRunsAndCompletesWhenItEnds()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            while (await p.Stdin.ReadLineAsync() is { } line)
            {
                await p.Stdout.WriteLineAsync(line.ToUpperInvariant());
            }

            p.ExitStatus = 6;
        }));
        var emitted = new TaskCompletionSource<SshClientProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using IDisposable subscription = pair.Client.CreateProcess("upper").Subscribe(emitted.SetResult, e => completed.SetException(e), completed.SetResult);
        SshClientProcess process = await emitted.Task.WaitAsync(TestTimeout.Default);
        await process.Stdin.WriteLineAsync("hi");
        Assert.Equal("HI", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));

        // The server is still reading stdin, so the process has not ended and the sequence is open.
        Assert.False(completed.Task.IsCompleted);
        await process.Stdin.CloseAsync();
        await completed.Task.WaitAsync(TestTimeout.Default);

        Assert.Equal(new SshProcessExit(6), await process.WaitForExitAsync().WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task DisposingTheConnectionCreateProcessSubscriptionDisposesTheProcess()
    {
        var serverSawClose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            using CancellationTokenRegistration r = p.Closed.Register(serverSawClose.SetResult);
            await p.Stdout.WriteLineAsync("ready");
            await serverSawClose.Task;
        }));
        var emitted = new TaskCompletionSource<SshClientProcess>(TaskCreationOptions.RunContinuationsAsynchronously);

        IDisposable subscription = pair.Client.CreateProcess("wait").Subscribe(emitted.SetResult);
        SshClientProcess process = await emitted.Task.WaitAsync(TestTimeout.Default);
        Assert.Equal("ready", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
        subscription.Dispose();

        await serverSawClose.Task.WaitAsync(TestTimeout.Default);
    }

    [Fact]
    public void HostExecChecksItsOptionsAtTheCallAsTheConnectionDoes()
    {
        var host = new SshHost("host.invalid");
        var redirected = new SshProcessOptions { Stdout = SshSink.Discard };
        var twoInputs = new SshProcessOptions { Input = "x"u8.ToArray(), Stdin = SshSource.FromString("x") };

        Assert.Throws<ArgumentException>(() => host.Exec("x", redirected));
        Assert.Throws<ArgumentException>(() => host.Exec("x", twoInputs));
    }

    [Fact]
    public async Task HostUsingDisconnectsBeforeItCompletes()
    {
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions());
        SshHost host = server.GetHost(InMemoryServer.DefaultClientOptions());
        SshClientConnection? used = null;

        await host.Using(c =>
        {
            used = c;
            return Observable.Return(1);
        }).LastAsync().WithTimeout();

        // Completion came after the disconnect, so the connection has already ended.
        Assert.True(used!.Completion.IsCompleted);
    }
}
