using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Client;

/// <summary>The client holds a bounded amount of a server's output (issue 9, L9): Run's capture and one line.</summary>
public sealed class ClientOutputLimitTests
{
    private const int Produced = 300_000;

    /// <summary>A server whose command writes <see cref="Produced"/> bytes to the stream it names, then waits for the client to leave.</summary>
    private static SshServerOptions Talkative(TaskCompletionSource closed) => InMemoryServer.DefaultServerOptions(async p =>
    {
        if (p.Command == "small")
        {
            await p.Stdout.WriteAsync("ok\n");
            return;
        }

        using (p.Closed.Register(() => closed.TrySetResult()))
        {
            string chunk = new('x', 10_000);
            for (int written = 0; written < Produced; written += chunk.Length)
            {
                await (p.Command == "stderr" ? p.Stderr : p.Stdout).WriteAsync(chunk, p.Closed);
            }

            await Task.Delay(Timeout.Infinite, p.Closed);
        }
    });

    public static TheoryData<string, bool> Streams => new() { { "stdout", false }, { "stderr", false }, { "stdout", true }, { "stderr", true } };

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Run_fails_with_a_typed_error_once_the_output_passes_MaxOutputBytes_and_closes_the_channel(string stream, bool redirectedStdin)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Talkative(closed));
        var options = new SshProcessOptions
        {
            MaxOutputBytes = 100_000,
            Stdin = redirectedStdin ? SshSource.FromString("in") : null, // the other capture path of Run
        };

        SshOutputLimitException error = await Assert.ThrowsAsync<SshOutputLimitException>(() => pair.Client.RunAsync(stream, options).WithTimeout());
        Assert.Equal(stream == "stdout" ? SshStandardStream.Stdout : SshStandardStream.Stderr, error.Stream);
        Assert.Equal(100_000, error.Limit);

        // The server's process sees its channel closed; the connection carries on.
        await closed.Task.WithTimeout();
        Assert.Equal("ok\n", (await pair.Client.RunAsync("small").WithTimeout()).Stdout);
    }

    [Fact]
    public async Task Output_up_to_the_limit_is_captured_whole()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync(new string('y', 5000))));
        SshCompletedProcess result = await pair.Client.RunAsync("x", new SshProcessOptions { MaxOutputBytes = 5000 }).WithTimeout();
        Assert.Equal(new string('y', 5000), result.Stdout);
    }

    [Fact]
    public async Task ReadLineAsync_fails_with_a_typed_error_on_a_line_over_MaxLineLength()
    {
        string exact = new('a', 1000);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("short\n" + exact + "\r\n");
            await p.Stdout.WriteAsync(new string('b', 600));
            await p.Stdout.WriteAsync(new string('b', 600) + "\nafter\n");
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("lines", new SshProcessOptions { MaxLineLength = 1000 }).WithTimeout();

        Assert.Equal("short", await process.Stdout.ReadLineAsync().WithTimeout());
        Assert.Equal(exact, await process.Stdout.ReadLineAsync().WithTimeout());
        SshLineTooLongException error = await Assert.ThrowsAsync<SshLineTooLongException>(() => process.Stdout.ReadLineAsync().WithTimeout());
        Assert.Equal(SshStandardStream.Stdout, error.Stream);
        Assert.Equal(1000, error.Limit);
    }
}
