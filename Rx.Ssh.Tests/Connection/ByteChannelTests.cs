using System.IO.Pipelines;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Tests.External;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// The public byte channel (<see cref="SshChannelStream"/>) on client and server connected in
/// memory, with the channel-type handlers written in Rx.Ssh.Tests.External (public surface only):
/// custom channels both directions, two-phase accept and refusal, EOF each way, 16 MiB intact,
/// flow control held at the window, the pipe view, the event observable and the one-reader guard.
/// </summary>
public sealed class ByteChannelTests
{
    private static SshServerOptions ServerWith(string channelType, SshChannelOpenHandler handler) => InMemoryServer.DefaultServerOptions() with
    {
        ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler> { [channelType] = handler },
    };

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        using var output = new MemoryStream();
        await stream.CopyToAsync(output).WithTimeout();
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static ValueTask WriteTextAsync(Stream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task A_channel_the_client_opens_is_accepted_after_an_await_by_an_external_handler_and_echoes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var echo = new ExternalChannelType(release.Task, options: new SshChannelSettings { WindowSize = 65536, MaxPacketSize = 16384 });
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith(ExternalChannelType.EchoType, echo.Handler));

        Task<SshChannelStream> opening = pair.Client.OpenChannelAsync(
            ExternalChannelType.EchoType,
            ExternalChannelType.StringData("destination:7"),
            new SshChannelSettings { WindowSize = 100_000, MaxPacketSize = 20_000 });
        SshPendingChannel pending = await echo.Seen.WithTimeout();
        Assert.Equal("destination:7", ExternalChannelType.ReadStringData(pending.ExtraData));
        Assert.Equal(100_000u, pending.InitialWindowSize);
        Assert.Equal(20_000u, pending.MaxPacketSize);
        Assert.False(opening.IsCompleted);

        release.SetResult();
        await using SshChannelStream channel = await opening.WithTimeout();
        Assert.Equal(ExternalChannelType.EchoType, channel.ChannelType);
        Assert.Equal(100_000u, channel.WindowSize);
        Assert.Equal(20_000u, channel.MaxPacketSize);
        Assert.Equal(16384u, channel.RemoteMaxPacketSize);

        await WriteTextAsync(channel, "hello over a custom channel");
        await channel.CompleteWritingAsync();
        Assert.Equal("hello over a custom channel", await ReadToEndAsync(channel));
        Assert.Equal(27, await echo.Echoed.WithTimeout());

        await channel.DisposeAsync();
        await channel.Closed.WithTimeout();
    }

    [Fact]
    public async Task A_channel_the_server_opens_reaches_an_external_handler_on_the_client()
    {
        var echo = new ExternalChannelType();
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler> { [ExternalChannelType.EchoType] = echo.Handler },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(client: client);

        await using SshChannelStream channel = await pair.Server.OpenChannelAsync(ExternalChannelType.EchoType, ExternalChannelType.StringData("forwarded")).WithTimeout();
        await WriteTextAsync(channel, "from the server");
        await channel.CompleteWritingAsync();

        Assert.Equal("from the server", await ReadToEndAsync(channel));
        Assert.Equal("forwarded", ExternalChannelType.ReadStringData((await echo.Seen.WithTimeout()).ExtraData));
    }

    [Fact]
    public async Task A_refusal_after_an_await_fails_the_open_with_its_reason_and_text()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refusing = new ExternalChannelType(release.Task, accept: false);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith(ExternalChannelType.EchoType, refusing.Handler));

        Task<SshChannelStream> opening = pair.Client.OpenChannelAsync(ExternalChannelType.EchoType, default);
        await refusing.Seen.WithTimeout();
        Assert.False(opening.IsCompleted);
        release.SetResult();

        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => opening.WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, refused.Reason);
        Assert.Equal(ExternalChannelType.RefusalText, refused.Description);

        SshChannelOpenException unknown = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync("nobody@rx-ssh.test", default).WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.UnknownChannelType, unknown.Reason);
        Assert.False(pair.Client.Completion.IsCompleted);
    }

    [Fact]
    public async Task Bad_names_and_options_are_refused_before_anything_is_sent()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => pair.Client.OpenChannelAsync("has space", default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pair.Client.OpenChannelAsync("x@rx-ssh.test", default, new SshChannelSettings { MaxPacketSize = 4 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pair.Client.OpenChannelAsync("x@rx-ssh.test", default, new SshChannelSettings { WindowSize = 1000, MaxPacketSize = 2000 }));
    }

    [Fact]
    public async Task Eof_goes_each_way_on_its_own()
    {
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("half@rx-ssh.test", (pending, _) =>
        {
            accepted.SetResult(pending.Accept());
            return ValueTask.CompletedTask;
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("half@rx-ssh.test", default).WithTimeout();
        await using SshChannelStream server = await accepted.Task.WithTimeout();
        byte[] buffer = new byte[64];

        // Client to server ends; server to client goes on.
        await WriteTextAsync(client, "last words");
        await client.CompleteWritingAsync();
        Assert.Equal("last words", await ReadToEndAsync(server));
        Assert.Equal(0, await server.ReadAsync(buffer).AsTask().WithTimeout());
        await Assert.ThrowsAsync<SshChannelException>(() => WriteTextAsync(client, "too late").AsTask());

        await WriteTextAsync(server, "still talking");
        int n = await client.ReadAsync(buffer).AsTask().WithTimeout();
        Assert.Equal("still talking", Encoding.UTF8.GetString(buffer, 0, n));

        // Now the other way, and the channel is half-closed both ways but open.
        await server.CompleteWritingAsync();
        Assert.Equal(0, await client.ReadAsync(buffer).AsTask().WithTimeout());
        Assert.Equal(0, await client.ReadAsync(buffer).AsTask().WithTimeout());
        Assert.False(server.Closed.IsCompleted);

        await client.DisposeAsync();
        await server.Closed.WithTimeout();
        await client.Closed.WithTimeout();
    }

    [Fact]
    public async Task Sixteen_mebibytes_go_through_the_stream_intact()
    {
        const int Total = 16 * 1024 * 1024;
        var echo = new ExternalChannelType();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith(ExternalChannelType.EchoType, echo.Handler));
        await using SshChannelStream channel = await pair.Client.OpenChannelAsync(ExternalChannelType.EchoType, default).WithTimeout();

        using var sent = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        async Task SendAsync()
        {
            var random = new Random(11);
            byte[] chunk = new byte[48 * 1024];
            for (int left = Total; left > 0; left -= chunk.Length)
            {
                random.NextBytes(chunk);
                int n = Math.Min(chunk.Length, left);
                sent.AppendData(chunk, 0, n);
                await channel.WriteAsync(chunk.AsMemory(0, n));
            }

            await channel.CompleteWritingAsync();
        }

        Task sending = Task.Run(SendAsync);
        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        byte[] buffer = new byte[20000];
        int read;
        while ((read = await channel.ReadAsync(buffer).AsTask().WithTimeout(TestTimeout.Long)) > 0)
        {
            received.AppendData(buffer, 0, read);
            count += read;
        }

        await sending.WithTimeout(TestTimeout.Long);
        Assert.Equal(Total, count);
        Assert.Equal(Total, await echo.Echoed.WithTimeout());
        Assert.Equal(sent.GetHashAndReset(), received.GetHashAndReset());
    }

    [Fact]
    public async Task A_reader_that_does_not_read_holds_the_sender_at_its_window()
    {
        const int Window = 64 * 1024;
        const int Total = 1024 * 1024;
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("sink@rx-ssh.test", (pending, _) =>
        {
            accepted.SetResult(pending.Accept(new SshChannelSettings { WindowSize = Window, MaxPacketSize = 16384 }));
            return ValueTask.CompletedTask;
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("sink@rx-ssh.test", default).WithTimeout();
        await using SshChannelStream server = await accepted.Task.WithTimeout();

        long written = 0;
        var windowFull = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task WriteAllAsync()
        {
            byte[] chunk = new byte[4096];
            while (Interlocked.Read(ref written) < Total)
            {
                await client.WriteAsync(chunk);
                if (Interlocked.Add(ref written, chunk.Length) >= Window)
                {
                    windowFull.TrySetResult();
                }
            }

            await client.CompleteWritingAsync();
        }

        Task writing = Task.Run(WriteAllAsync);
        await windowFull.Task.WithTimeout();

        // A global request round trip: the server has read everything the client sent before it.
        await pair.Client.SendGlobalRequestAsync("ping@rx-ssh.test", default).WithTimeout();
        Assert.False(writing.IsCompleted, "the client sent past the window of a reader that read nothing");
        Assert.True(Interlocked.Read(ref written) <= Window, $"{Interlocked.Read(ref written)} bytes were sent into a {Window}-byte window nobody read");

        using var output = new MemoryStream();
        await server.CopyToAsync(output).WithTimeout();
        await writing.WithTimeout();
        Assert.Equal(Total, output.Length);
    }

    [Fact]
    public async Task A_slow_event_observer_holds_the_sender_at_the_window()
    {
        const int Window = 64 * 1024;
        const int Total = 512 * 1024;
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("source@rx-ssh.test", (pending, _) =>
        {
            accepted.SetResult(pending.Accept());
            return ValueTask.CompletedTask;
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("source@rx-ssh.test", default, new SshChannelSettings { WindowSize = Window, MaxPacketSize = 8192 }).WithTimeout();
        await using SshChannelStream server = await accepted.Task.WithTimeout();

        using var release = new ManualResetEventSlim();
        var firstEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = client.Events.OfType<SshChannelDataReceived>().Subscribe(d =>
        {
            firstEvent.TrySetResult();
            release.Wait(TestTimeout.Default); // a slow observer: the window goes back only when OnNext returns
            if (Interlocked.Add(ref received, d.Data.Length) == Total)
            {
                all.TrySetResult();
            }
        });

        long written = 0;
        async Task WriteAllAsync()
        {
            byte[] chunk = new byte[4096];
            while (Interlocked.Read(ref written) < Total)
            {
                await server.WriteAsync(chunk);
                Interlocked.Add(ref written, chunk.Length);
            }
        }

        Task writing = Task.Run(WriteAllAsync);
        await firstEvent.Task.WithTimeout();

        // A round trip from the server: the client has read everything sent before the reply.
        await pair.Server.SendGlobalRequestAsync("ping@rx-ssh.test", default).WithTimeout();
        Assert.False(writing.IsCompleted, "the server sent past the window of an observer still in OnNext");
        Assert.True(Interlocked.Read(ref written) <= Window, $"{Interlocked.Read(ref written)} bytes were sent into a {Window}-byte window");

        release.Set();
        await writing.WithTimeout();
        await all.Task.WithTimeout();
    }

    [Fact]
    public async Task The_pipe_view_carries_data_and_completing_its_writer_sends_eof()
    {
        var echo = new ExternalChannelType();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith(ExternalChannelType.EchoType, echo.Handler));
        await using SshChannelStream channel = await pair.Client.OpenChannelAsync(ExternalChannelType.EchoType, default).WithTimeout();
        IDuplexPipe pipe = channel.Pipe;
        Assert.Same(pipe, channel.Pipe);

        await pipe.Output.WriteAsync(Encoding.UTF8.GetBytes("through "));
        await pipe.Output.WriteAsync(Encoding.UTF8.GetBytes("the pipe"));
        await pipe.Output.CompleteAsync();

        var text = new StringBuilder();
        while (true)
        {
            ReadResult result = await pipe.Input.ReadAsync().AsTask().WithTimeout();
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                text.Append(Encoding.UTF8.GetString(segment.Span));
            }

            pipe.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal("through the pipe", text.ToString());
        Assert.Equal(16, await echo.Echoed.WithTimeout());
        await Assert.ThrowsAsync<InvalidOperationException>(() => channel.ReadAsync(new byte[1]).AsTask());
        InvalidOperationException events = await Assert.ThrowsAsync<InvalidOperationException>(() => channel.Events.ToList().ToTask().WithTimeout());
        Assert.Contains("Pipe", events.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_event_observable_sees_every_event_in_order_and_answers_a_request()
    {
        var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("events@rx-ssh.test", async (pending, cancellationToken) =>
        {
            await using SshChannelStream channel = pending.Accept();
            answered.SetResult(await channel.SendRequestAsync("ping@rx-ssh.test", ExternalChannelType.StringData("are you there"), wantReply: true, cancellationToken));
            await channel.WriteExtendedAsync(42, Encoding.UTF8.GetBytes("aside"), cancellationToken);
            await channel.WriteAsync(Encoding.UTF8.GetBytes("main"), cancellationToken);
            await channel.CompleteWritingAsync(cancellationToken);
            await channel.SendRequestAsync("note@rx-ssh.test", default, wantReply: false, cancellationToken);
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("events@rx-ssh.test", default).WithTimeout();

        IList<SshChannelEvent> events = await client.Events
            .Do(e =>
            {
                if (e is SshChannelRequestReceived { WantReply: true } request)
                {
                    Assert.True(request.Reply(true));
                    Assert.False(request.Reply(false));
                }
            })
            .ToList()
            .ToTask()
            .WithTimeout();

        Assert.True(await answered.Task.WithTimeout());
        Assert.Collection(
            events,
            e =>
            {
                var request = Assert.IsType<SshChannelRequestReceived>(e);
                Assert.Equal("ping@rx-ssh.test", request.RequestType);
                Assert.Equal("are you there", ExternalChannelType.ReadStringData(request.Data));
            },
            e =>
            {
                var aside = Assert.IsType<SshChannelExtendedDataReceived>(e);
                Assert.Equal(42u, aside.DataType);
                Assert.Equal("aside", Encoding.UTF8.GetString(aside.Data.Span));
            },
            e => Assert.Equal("main", Encoding.UTF8.GetString(Assert.IsType<SshChannelDataReceived>(e).Data.Span)),
            e => Assert.IsType<SshChannelEofReceived>(e),
            e =>
            {
                var note = Assert.IsType<SshChannelRequestReceived>(e);
                Assert.False(note.WantReply);
                Assert.False(note.Reply(true));
            },
            e => Assert.IsType<SshChannelClosed>(e));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ReadAsync(new byte[1]).AsTask());
    }

    [Fact]
    public async Task The_event_observable_takes_one_subscriber_at_a_time_and_keeps_events_for_the_next()
    {
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("events@rx-ssh.test", (pending, _) =>
        {
            accepted.SetResult(pending.Accept());
            return ValueTask.CompletedTask;
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("events@rx-ssh.test", default).WithTimeout();
        await using SshChannelStream server = await accepted.Task.WithTimeout();

        var first = new TaskCompletionSource<SshChannelEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription = client.Events.Subscribe(e => first.TrySetResult(e));
        await WriteTextAsync(server, "one");
        Assert.Equal("one", Encoding.UTF8.GetString(Assert.IsType<SshChannelDataReceived>(await first.Task.WithTimeout()).Data.Span));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Events.FirstAsync().ToTask().WithTimeout());
        subscription.Dispose();

        // Sent while nobody subscribes: queued in the window and delivered to the next subscriber.
        await WriteTextAsync(server, "two");
        SshChannelEvent next = await client.Events.FirstAsync().ToTask().WithTimeout();
        Assert.Equal("two", Encoding.UTF8.GetString(Assert.IsType<SshChannelDataReceived>(next).Data.Span));
    }

    [Fact]
    public async Task Two_reads_at_once_are_refused()
    {
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("two@rx-ssh.test", (pending, _) =>
        {
            accepted.SetResult(pending.Accept());
            return ValueTask.CompletedTask;
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("two@rx-ssh.test", default).WithTimeout();
        await using SshChannelStream server = await accepted.Task.WithTimeout();
        byte[] buffer = new byte[16];

        Task<int> reading = client.ReadAsync(buffer).AsTask();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ReadAsync(new byte[16]).AsTask());
        await WriteTextAsync(server, "x");
        Assert.Equal(1, await reading.WithTimeout());
    }

    [Fact]
    public async Task The_stream_refuses_requests_and_keeps_taking_them_after_eof()
    {
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("asks@rx-ssh.test", (pending, _) =>
        {
            accepted.SetResult(pending.Accept());
            return ValueTask.CompletedTask;
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("asks@rx-ssh.test", default).WithTimeout();
        await using SshChannelStream server = await accepted.Task.WithTimeout();

        // Before EOF: the reader meets the request on its way to the data and refuses it.
        Task<bool> before = server.SendRequestAsync("before@rx-ssh.test", default, wantReply: true);
        await WriteTextAsync(server, "data");
        await server.CompleteWritingAsync();
        Assert.Equal("data", await ReadToEndAsync(client));
        Assert.False(await before.WithTimeout());

        // After EOF nobody reads the stream, yet a request is still answered and CLOSE still read.
        Assert.False(await server.SendRequestAsync("after@rx-ssh.test", default, wantReply: true).WithTimeout());
        await server.DisposeAsync();
        await client.Closed.WithTimeout();
    }

    [Fact]
    public async Task Synchronous_reads_and_writes_work_too()
    {
        var echo = new ExternalChannelType();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith(ExternalChannelType.EchoType, echo.Handler));
        await using SshChannelStream channel = await pair.Client.OpenChannelAsync(ExternalChannelType.EchoType, default).WithTimeout();

        string echoed = await Task.Run(() =>
        {
            using var writer = new StreamWriter(channel, leaveOpen: true);
            writer.Write("line one\nline two\n");
            writer.Flush();
            channel.CompleteWritingAsync().AsTask().GetAwaiter().GetResult();
            using var reader = new StreamReader(channel, leaveOpen: true);
            return reader.ReadToEnd();
        }).WithTimeout();

        Assert.Equal("line one\nline two\n", echoed);
        Assert.Throws<NotSupportedException>(() => channel.Length);
        Assert.False(channel.CanSeek);
    }

    [Fact]
    public async Task The_connection_ending_fails_a_waiting_read()
    {
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(ServerWith("gone@rx-ssh.test", (pending, _) =>
        {
            accepted.SetResult(pending.Accept());
            return ValueTask.CompletedTask;
        }));
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("gone@rx-ssh.test", default).WithTimeout();
        await accepted.Task.WithTimeout();

        Task<int> reading = client.ReadAsync(new byte[16]).AsTask();
        await pair.Server.DisposeAsync();

        await Assert.ThrowsAnyAsync<SshConnectionException>(() => reading.WithTimeout());
        await client.Closed.WithTimeout();
    }
}
