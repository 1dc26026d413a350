using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Session;

/// <summary>
/// <see cref="SshProcessReader"/> and <see cref="SshProcessWriter"/> are the one pair of both roles
/// (issue 11, item 5): the members one role had before work in the other, and the role-dependent
/// defaults (EOF after a copy) are kept.
/// </summary>
public sealed class ProcessStreamPairTests
{
    [Fact]
    public async Task A_server_copies_its_stdin_to_a_stream_and_sees_the_end()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            using var copy = new MemoryStream();
            await p.Stdin.CopyToAsync(copy, p.Closed);
            await p.Stdout.WriteAsync(copy.ToArray());
            await p.Stdout.WriteAsync($"|{p.Stdin.AtEnd}");
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("copy").WaitAsync(TestTimeout.Default);

        await process.Stdin.WriteAsync("héllo\n");
        await process.Stdin.WriteAsync("wörld");
        await process.Stdin.CloseAsync();

        Assert.Equal("héllo\nwörld|True", await process.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task A_server_reads_its_stdin_as_data_chunks_or_discards_it()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            if (p.Command == "data")
            {
                IList<ReadOnlyMemory<byte>> chunks = await p.Stdin.Data.ToList();
                await p.Stdout.WriteAsync(Encoding.UTF8.GetString([.. chunks.SelectMany(c => c.ToArray())]));
            }
            else
            {
                await p.Stdin.DiscardAsync(p.Closed);
                await p.Stdout.WriteAsync($"discarded {p.Stdin.AtEnd}");
            }
        }));

        await using (SshClientProcess data = await pair.Client.CreateProcessAsync("data").WaitAsync(TestTimeout.Default))
        {
            await data.Stdin.WriteAsync("one two");
            await data.Stdin.CloseAsync();
            Assert.Equal("one two", await data.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));
        }

        await using SshClientProcess discard = await pair.Client.CreateProcessAsync("discard").WaitAsync(TestTimeout.Default);
        await discard.Stdin.WriteAsync(new byte[100_000]);
        await discard.Stdin.CloseAsync();
        Assert.Equal("discarded True", await discard.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task A_client_reads_at_most_max_chars_of_output_keeping_a_surrogate_pair_whole()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("ab\U0001F600cdé");
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("emoji").WaitAsync(TestTimeout.Default);

        Assert.Equal("a", await process.Stdout.ReadAsync(1).AsTask().WaitAsync(TestTimeout.Default));
        Assert.Equal("b", await process.Stdout.ReadAsync(1).AsTask().WaitAsync(TestTimeout.Default));
        Assert.Equal("\U0001F600", await process.Stdout.ReadAsync(1).AsTask().WaitAsync(TestTimeout.Default));
        var rest = new StringBuilder();
        string piece;
        while ((piece = await process.Stdout.ReadAsync(2).AsTask().WaitAsync(TestTimeout.Default)).Length > 0)
        {
            Assert.InRange(piece.Length, 1, 2);
            rest.Append(piece);
        }

        Assert.Equal("cdé", rest.ToString());
        Assert.True(process.Stdout.AtEnd);
    }

    [Fact]
    public async Task A_clients_queued_writes_and_observer_keep_their_order_with_awaited_writes()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync(await p.Stdin.ReadToEndAsync(p.Closed));
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("echo").WaitAsync(TestTimeout.Default);

        process.Stdin.Write("a");
        await process.Stdin.WriteAsync("b");
        using (new[] { "c", "d" }.ToObservable().Subscribe(process.Stdin.AsObserver()))
        {
            await process.Stdin.WriteLineAsync();
        }

        await process.Stdin.CloseAsync();
        Assert.Equal("abcd\n", await process.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task A_servers_copies_send_no_eof_unless_asked_and_its_close_ends_the_output()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteFromAsync(new[] { "x", "y" }.ToObservable());
            await p.Stdout.CopyFromAsync(new MemoryStream("z"u8.ToArray()));
            await p.Stderr.WriteFromAsync(Observable.Return((ReadOnlyMemory<byte>)"e"u8.ToArray()));
            await p.Stdout.CloseAsync();
            await closed.Task.WaitAsync(p.Closed);
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("eof").WaitAsync(TestTimeout.Default);

        // Both outputs end (channel EOF) while the server process is still running.
        Assert.Equal("xyz", await process.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));
        Assert.Equal("e", await process.Stderr.ReadToEndAsync().WaitAsync(TestTimeout.Default));
        closed.SetResult();
        Assert.Equal(0, (await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
    }
}
