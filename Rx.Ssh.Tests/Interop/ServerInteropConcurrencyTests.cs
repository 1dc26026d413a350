using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Threading.Channels;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>Several OpenSSH ssh clients on one Rx.Ssh server at once: parallel execs, and a chat between sessions.</summary>
public sealed class ServerInteropConcurrencyTests : IAsyncLifetime
{
    private const int Gathering = 8;
    private readonly TaskCompletionSource _allGathered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ISubject<(string From, string Text)> _room = Subject.Synchronize(new Subject<(string From, string Text)>());
    private int _gathered;
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = HandleAsync });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary><c>gather ID</c>: waits until <see cref="Gathering"/> sessions run at once. <c>chat NAME</c>: a chat room member.</summary>
    private async Task HandleAsync(SshServerProcess process)
    {
        string[] words = process.Command!.Split(' ');
        if (words[0] == "gather")
        {
            int arrived = Interlocked.Increment(ref _gathered);
            if (arrived == Gathering)
            {
                _allGathered.TrySetResult();
            }

            await _allGathered.Task.WaitAsync(TestTimeout.Default);
            await process.Stdout.WriteLineAsync($"{words[1]} saw {Volatile.Read(ref _gathered)} together");
            return;
        }

        string name = words[1];
        using IDisposable subscription = _room.Where(m => m.From != name).Subscribe(m => process.Stdout.Write($"{m.From}: {m.Text}\n"));
        await process.Stdout.WriteLineAsync("welcome " + name);
        while (await process.Stdin.ReadLineAsync() is { } line)
        {
            _room.OnNext((name, line));
        }

        await process.Stdout.WriteLineAsync("bye " + name);
    }

    [Fact]
    public async Task Eight_clients_run_at_the_same_time()
    {
        ProcessResult[] results = await Task.WhenAll(Enumerable.Range(0, Gathering).Select(i => Server.Client().RunAsync("gather c" + i)));

        for (int i = 0; i < Gathering; i++)
        {
            Assert.True(results[i].ExitCode == 0, results[i].ToString());
            Assert.Equal($"c{i} saw {Gathering} together\n", results[i].StdoutText);
        }
    }

    [Fact]
    public async Task Three_chat_clients_see_each_others_messages()
    {
        string[] names = ["ann", "bob", "cyd"];
        var clients = names.Select(n => new ChatClient(Server.Client().CreateStartInfo("chat " + n))).ToArray();
        try
        {
            foreach (var (client, name) in clients.Zip(names))
            {
                Assert.Equal("welcome " + name, await client.ReadLineAsync());
            }

            foreach (var (client, name) in clients.Zip(names))
            {
                await client.SendAsync("hi from " + name);
            }

            foreach (var (client, name) in clients.Zip(names))
            {
                string[] heard = [await client.ReadLineAsync(), await client.ReadLineAsync()];
                string[] expected = [.. names.Where(n => n != name).Select(n => $"{n}: hi from {n}")];
                Assert.Equal(expected.Order(StringComparer.Ordinal), heard.Order(StringComparer.Ordinal));
            }

            foreach (var (client, name) in clients.Zip(names))
            {
                client.CloseInput();
                Assert.Equal("bye " + name, await client.ReadLineAsync());
                Assert.Equal(0, await client.WaitForExitAsync());
            }
        }
        finally
        {
            foreach (ChatClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>One ssh process whose stdin the test writes lines to and whose stdout it reads line by line.</summary>
    private sealed class ChatClient : IDisposable
    {
        private readonly Process _process;
        private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

        public ChatClient(ProcessStartInfo startInfo)
        {
            _process = Process.Start(startInfo)!;
            _ = PumpAsync();
        }

        public async Task<string> ReadLineAsync() => await _lines.Reader.ReadAsync().AsTask().WithTimeout();

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public void CloseInput() => _process.StandardInput.Close();

        public async Task<int> WaitForExitAsync()
        {
            await _process.WaitForExitAsync().WithTimeout();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            ProcessRunner.KillQuietly(_process);
            _process.Dispose();
        }

        private async Task PumpAsync()
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                _lines.Writer.TryWrite(line);
            }

            _lines.Writer.TryComplete();
        }
    }
}
