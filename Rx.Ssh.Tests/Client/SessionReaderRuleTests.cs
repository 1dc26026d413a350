using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Client;

/// <summary>
/// Issue 11 flow-control rules of the readers: output nobody reads cannot stall the channel, one
/// line cap with a typed error on both roles (memory bounded), and one consumer at a time.
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class SessionReaderRuleTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_process_writing_64_MiB_to_stderr_that_nobody_reads_exits()
    {
        byte[] chunk = new byte[MiB];
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            for (int i = 0; i < 64; i++)
            {
                await p.Stderr.WriteAsync(chunk);
            }

            await p.Stdout.WriteAsync("done\n");
            p.ExitStatus = 3;
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("noisy").WithTimeout();

        SshProcessExit exit = await process.WaitForExitAsync().WithTimeout(TestTimeout.Long);

        Assert.Equal(3, exit.ExitStatus);

        // stdout, small, is still there for a late reader; stderr went past MaxUnreadOutputBytes (16 MiB), was dropped, and says so.
        Assert.Equal("done\n", await process.Stdout.ReadToEndAsync().WithTimeout());
        await Assert.ThrowsAsync<SshOutputLimitException>(() => process.Stderr.ReadToEndAsync().WithTimeout());
    }

    [Fact]
    public async Task Reading_stdout_while_stderr_is_unread_gets_all_of_stdout_and_the_exit()
    {
        byte[] chunk = new byte[MiB];
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            for (int i = 0; i < 8; i++)
            {
                await p.Stderr.WriteAsync(chunk);
                await p.Stdout.WriteAsync(chunk);
            }
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("both").WithTimeout();

        long read = 0;
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await process.Stdout.ReadAsync(buffer).AsTask().WithTimeout(TestTimeout.Long)) > 0)
        {
            read += n;
        }

        Assert.Equal(8L * MiB, read);
        Assert.Equal(0, (await process.WaitForExitAsync().WithTimeout()).ExitStatus);
    }

    [Fact]
    public async Task A_100_MiB_line_without_newline_ends_in_the_typed_error_on_the_client_with_memory_bounded()
    {
        byte[] chunk = new byte[MiB];
        chunk.AsSpan().Fill((byte)'x');
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            for (int i = 0; i < 100; i++)
            {
                await p.Stdout.WriteAsync(chunk, p.Closed);
            }
        }));
        long before = GC.GetTotalMemory(forceFullCollection: true);
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("one long line").WithTimeout();

        SshLineTooLongException error = await Assert.ThrowsAsync<SshLineTooLongException>(() => process.Stdout.ReadLineAsync().AsTask().WithTimeout(TestTimeout.Long));
        long growth = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.Equal(SshStandardStream.Stdout, error.Stream);
        Assert.Equal(MiB, error.Limit);
        Assert.True(growth < 32L * MiB, $"memory grew by {growth} bytes");
    }

    [Fact]
    public async Task A_100_MiB_line_without_newline_ends_in_the_typed_error_on_the_server_with_memory_bounded()
    {
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        long before = 0;
        long growth = -1;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            try
            {
                await p.Stdin.ReadLineAsync(p.Closed);
                failed.TrySetResult(new InvalidOperationException("a line came back"));
            }
            catch (Exception ex)
            {
                growth = GC.GetTotalMemory(forceFullCollection: true) - Volatile.Read(ref before);
                failed.TrySetResult(ex);
            }
        }));
        Volatile.Write(ref before, GC.GetTotalMemory(forceFullCollection: true));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("reads a line").WithTimeout();
        byte[] chunk = new byte[MiB];
        chunk.AsSpan().Fill((byte)'y');
        Task writing = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < 100; i++)
                {
                    await process.Stdin.WriteAsync(chunk);
                }
            }
            catch (SshChannelException)
            {
                // The server process ended (after its error) while input was still being sent.
            }
        });

        Exception error = await failed.Task.WithTimeout(TestTimeout.Long);

        SshLineTooLongException tooLong = Assert.IsType<SshLineTooLongException>(error);
        Assert.Equal(SshStandardStream.Stdin, tooLong.Stream);
        Assert.Equal(MiB, tooLong.Limit);
        Assert.True(growth < 32L * MiB, $"memory grew by {growth} bytes");
        await process.WaitForExitAsync().WithTimeout();
        await writing.WithTimeout(TestTimeout.Long);
    }

    [Fact]
    public async Task A_second_concurrent_read_on_the_client_fails_with_InvalidOperationException()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await release.Task.WaitAsync(p.Closed);
            await p.Stdout.WriteAsync("late\n");
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("waits").WithTimeout();

        Task<string?> first = process.Stdout.ReadLineAsync().AsTask();
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => process.Stdout.ReadLineAsync().AsTask().WithTimeout());
        Assert.Contains("one reader at a time", error.Message, StringComparison.Ordinal);

        release.SetResult();
        Assert.Equal("late", await first.WithTimeout());

        // Once the first read is done, reading again is fine.
        Assert.Null(await process.Stdout.ReadLineAsync().AsTask().WithTimeout());
    }

    [Fact]
    public async Task A_second_concurrent_read_on_the_server_fails_with_InvalidOperationException()
    {
        var second = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstLine = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            Task<string?> first = p.Stdin.ReadLineAsync(p.Closed).AsTask();
            try
            {
                await p.Stdin.ReadLineAsync(p.Closed);
                second.TrySetResult(null);
            }
            catch (InvalidOperationException ex)
            {
                second.TrySetResult(ex);
            }

            firstLine.TrySetResult(await first);
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("reads twice").WithTimeout();

        Exception? error = await second.Task.WithTimeout();
        await process.Stdin.WriteAsync("hello\n"u8.ToArray());

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal("hello", await firstLine.Task.WithTimeout());
    }

    [Fact]
    public async Task Server_ReadAsync_into_a_buffer_smaller_than_a_character_returns_its_bytes_in_parts()
    {
        var bytes = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            // A text read first leaves the character buffered as text, not as raw bytes.
            string first = await p.Stdin.ReadAsync(1, p.Closed);
            var got = new List<byte>(System.Text.Encoding.UTF8.GetBytes(first));
            byte[] one = new byte[1];
            int n;
            while ((n = await p.Stdin.ReadAsync(one, p.Closed)) > 0)
            {
                got.Add(one[0]);
            }

            bytes.TrySetResult([.. got]);
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("reads bytes").WithTimeout();

        await process.Stdin.WriteAsync("a\u20ac\U0001F600"u8.ToArray());
        await process.Stdin.CloseAsync();

        Assert.Equal("a\u20ac\U0001F600"u8.ToArray(), await bytes.Task.WithTimeout());
    }
}
