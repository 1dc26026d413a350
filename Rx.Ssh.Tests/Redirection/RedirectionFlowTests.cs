using Rx.Ssh.Redirection;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Redirection;

/// <summary>Flow control end to end through redirections (Rx.Ssh server in memory).</summary>
public sealed class RedirectionFlowTests
{
    /// <summary>
    /// Bytes piped remote to remote. Issue 5's final target is 1 GiB; 256 MiB keeps the run short
    /// on a shared two-core machine while still being far beyond every window and buffer.
    /// </summary>
    public const long PipeBytes = 256L * 1024 * 1024;

    /// <summary>The receive window Rx.Ssh opens session channels with (SshConnection.OpenChannelAsync).</summary>
    private const long Window = 2 * 1024 * 1024;

    [Fact]
    public async Task RemoteToRemotePipeKeepsEveryByte()
    {
        var commands = new RedirectCommands();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(commands.HandleAsync));
        string expected = RedirectCommands.Sha256OfGenerated(PipeBytes);

        await using SshClientProcess source = await pair.Client.CreateProcessAsync($"gen {PipeBytes}", new SshProcessOptions { Stderr = SshSink.Discard }).WaitAsync(TestTimeout.Default);
        await using SshClientProcess digest = await pair.Client.CreateProcessAsync("sha256").WaitAsync(TestTimeout.Default);
        Task<string> answer = digest.Stdout.ReadToEndAsync();
        await digest.RedirectAsync(stdin: SshSource.FromRemote(source)).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(expected, (await answer.WaitAsync(TestTimeout.Default)).Trim());
        Assert.Equal(PipeBytes, commands.Sent);
        Assert.True((await source.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task ASlowDestinationPausesTheRemoteSender()
    {
        const long total = 32L * 1024 * 1024;
        var commands = new RedirectCommands();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(commands.HandleAsync));
        using var slow = new GatedStream();

        await using SshClientProcess process = await pair.Client.CreateProcessAsync($"gen {total}", new SshProcessOptions
        {
            Stdout = SshSink.ToStream(slow, leaveOpen: true),
            Stderr = SshSink.Discard,
        }).WaitAsync(TestTimeout.Default);

        // The pump has taken one buffer and is stuck writing it; the sender fills the window and must stop there.
        await slow.FirstWrite.WaitAsync(TestTimeout.Default);
        await commands.SentAtLeast(Window).WaitAsync(TestTimeout.Default);

        // A full round trip on the same connection: anything the sender could still send has had its chance.
        SshCompletedProcess other = await pair.Client.RunAsync("tac", new SshProcessOptions { Stdin = SshSource.FromString("x\ny\n") }).WaitAsync(TestTimeout.Default);
        Assert.Equal("y\nx\n", other.Stdout);

        // Bound: the window the client opened with plus what the pump took out of it (window goes
        // back only after half of it is consumed, so none went back yet). Our memory holds at most
        // that: the window's data queued in the reader plus one pump buffer.
        Assert.InRange(commands.Sent, Window, Window + RedirectPump.BufferSize);
        Assert.Equal(0, slow.Received);

        slow.Open();
        Assert.True((await process.WaitForExitAsync().WaitAsync(TestTimeout.Long)).Succeeded);
        Assert.Equal(total, slow.Received);
        Assert.Equal(RedirectCommands.Sha256OfGenerated(total), slow.Sha256());
    }

    [Fact]
    public async Task AnObservableSourceIsHeldBackByASlowRemoteReader()
    {
        // The server reads nothing until told to; the observable's OnNext must block rather than queue.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long serverRead = 0;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            if (p.Command == "barrier")
            {
                return;
            }

            await release.Task;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = await p.Stdin.ReadAsync(buffer.AsMemory())) > 0)
            {
                serverRead += n;
            }
        }));
        const int chunk = 64 * 1024;
        const int chunks = 256; // 16 MiB
        long emitted = 0;
        var filled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = System.Reactive.Linq.Observable.Create<ReadOnlyMemory<byte>>(observer =>
        {
            byte[] data = new byte[chunk];
            for (int i = 0; i < chunks; i++)
            {
                observer.OnNext(data); // blocks while the previous chunk is not taken
                if (Interlocked.Add(ref emitted, chunk) >= 2 * Window)
                {
                    filled.TrySetResult();
                }
            }

            observer.OnCompleted();
            return System.Reactive.Disposables.Disposable.Empty;
        });

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("sink").WaitAsync(TestTimeout.Default);
        Task feeding = process.RedirectAsync(stdin: SshSource.FromObservable(source));

        // The server's window is 2 MiB; with it full, the emitter can be at most one chunk and one buffer ahead.
        await pair.Client.RunAsync("barrier").WaitAsync(TestTimeout.Default);
        Assert.False(filled.Task.IsCompleted);
        Assert.InRange(Interlocked.Read(ref emitted), 0, Window + (2 * chunk));

        release.SetResult();
        await feeding.WaitAsync(TestTimeout.Long);
        Assert.True((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
        Assert.Equal(chunks * (long)chunk, serverRead);
    }
}
