using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Client;
using Rx.Ssh.Connection;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Server;

/// <summary>Session requests the Rx.Ssh client has no public API for yet, sent on a raw client channel.</summary>
public sealed class ServerChannelRequestTests
{
    private static async Task<SshChannel> OpenShellAsync(SshClientConnection client, SshTerminal? terminal = null)
    {
        SshChannel channel = await client.OpenChannelAsync("session", null, CancellationToken.None).WaitAsync(TestTimeout.Default);
        await SessionRequests.StartAsync(channel, "shell", null, new SshProcessOptions { Terminal = terminal }, SessionDefaults.None, null, CancellationToken.None).WaitAsync(TestTimeout.Default);
        return channel;
    }

    private static async Task<string> ReadStdoutUntilAsync(SshChannel channel, string expected)
    {
        var text = new StringBuilder();
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            ChannelEvent e = await channel.Events.ReadAsync().AsTask().WaitAsync(TestTimeout.Default);
            if (e.Kind == ChannelEventKind.Data)
            {
                text.Append(Encoding.UTF8.GetString(e.Data.Span));
                channel.Consumed(e);
            }
        }

        return text.ToString();
    }

    [Fact]
    public async Task WindowChangeSignalAndBreakReachTheProcess()
    {
        var sizes = new TaskCompletionSource<SshTerminal>();
        var signal = new TaskCompletionSource<string>();
        var breakLength = new TaskCompletionSource<int>();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            using IDisposable a = p.TerminalSizeChanges.Subscribe(t => sizes.TrySetResult(t));
            using IDisposable b = p.Signals.Subscribe(s => signal.TrySetResult(s));
            using IDisposable c = p.Breaks.Subscribe(ms => breakLength.TrySetResult(ms));
            await p.Stdout.WriteAsync("ready\n");
            await Task.WhenAll(sizes.Task, signal.Task, breakLength.Task).WaitAsync(TestTimeout.Default);
        }));
        SshChannel channel = await OpenShellAsync(pair.Client, new SshTerminal("vt100", 80, 24));
        await ReadStdoutUntilAsync(channel, "ready");

        await channel.SendRequestAsync("window-change", false, w =>
        {
            w.WriteUInt32(132);
            w.WriteUInt32(50);
            w.WriteUInt32(0);
            w.WriteUInt32(0);
        }, CancellationToken.None);
        await channel.SendRequestAsync("signal", false, w => w.WriteString("USR1"), CancellationToken.None);
        bool breakAccepted = await channel.SendRequestAsync("break", true, w => w.WriteUInt32(300), CancellationToken.None);

        SshTerminal resized = await sizes.Task.WaitAsync(TestTimeout.Default);
        Assert.Equal((132, 50, "vt100"), (resized.Columns, resized.Rows, resized.TerminalType));
        Assert.Equal("USR1", await signal.Task.WaitAsync(TestTimeout.Default));
        Assert.Equal(300, await breakLength.Task.WaitAsync(TestTimeout.Default));
        Assert.True(breakAccepted);
    }

    [Fact]
    public async Task UnknownRequestsAndASecondStartAreRefused()
    {
        var release = new TaskCompletionSource();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(_ => release.Task));
        SshChannel channel = await OpenShellAsync(pair.Client);

        Assert.False(await channel.SendRequestAsync("x11-req", true, w =>
        {
            w.WriteBoolean(false);
            w.WriteString("MIT-MAGIC-COOKIE-1");
            w.WriteString("00");
            w.WriteUInt32(0);
        }, CancellationToken.None).WaitAsync(TestTimeout.Default));
        Assert.False(await channel.SendRequestAsync("no-such-request@example.com", true, null, CancellationToken.None).WaitAsync(TestTimeout.Default));
        Assert.False(await channel.SendRequestAsync("exec", true, w => w.WriteString("again"), CancellationToken.None).WaitAsync(TestTimeout.Default));
        release.SetResult();
    }

    [Fact]
    public async Task CtrlCInTheLineEditorIsSignalInt()
    {
        var signal = new TaskCompletionSource<string>();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            using IDisposable s = p.Signals.Subscribe(x => signal.TrySetResult(x));
            await p.Stdout.WriteAsync("> ");
            string? line = await p.Stdin.ReadLineAsync();
            await p.Stdout.WriteAsync($"got [{line}]\n");
        }));
        SshChannel channel = await OpenShellAsync(pair.Client, new SshTerminal("xterm", 80, 24));
        await ReadStdoutUntilAsync(channel, "> ");

        await channel.WriteAsync(Encoding.ASCII.GetBytes("abc\x03"), null, CancellationToken.None);
        await channel.WriteAsync(Encoding.ASCII.GetBytes("xy\r"), null, CancellationToken.None);
        string screen = await ReadStdoutUntilAsync(channel, "]");

        Assert.Equal("INT", await signal.Task.WaitAsync(TestTimeout.Default));
        Assert.Contains("got [xy]", screen, StringComparison.Ordinal);
        Assert.Contains("^C", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallbackSessionSeesRequestsAndDataInOrder()
    {
        var log = new List<string>();
        var lost = new TaskCompletionSource();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with
        {
            HandlerFactory = () => new SessionHandler(() => new RecordingSession(log, lost)),
            AcceptEnv = ["A"],
        });

        SshCompletedProcess result = await pair.Client.RunAsync("sum", new SshProcessOptions
        {
            Environment = new Dictionary<string, string> { ["A"] = "1" },
            Input = Encoding.ASCII.GetBytes("1\n2\n"),
        }).WaitAsync(TestTimeout.Default);
        await lost.Task.WaitAsync(TestTimeout.Default);

        Assert.Equal("Total = 3\n", result.Stdout);
        Assert.Equal(0, result.ExitStatus);
        Assert.Equal(["made", "env A=1", "exec sum", "started", "eof", "lost"], log.Where(l => !l.StartsWith("data", StringComparison.Ordinal)));
    }

    private sealed class SessionHandler(Func<SshServerSession> create) : SshServerHandler
    {
        public override SshServerSession? SessionRequested(SshServerConnection connection) => create();
    }

    private sealed class RecordingSession(List<string> log, TaskCompletionSource lost) : SshServerSession
    {
        private readonly StringBuilder _input = new();

        public override void ConnectionMade(SshServerChannel channel) => log.Add("made");

        public override bool EnvironmentRequested(string name, string value)
        {
            log.Add($"env {name}={value}");
            return true;
        }

        public override bool ExecRequested(string command)
        {
            log.Add("exec " + command);
            return true;
        }

        public override void SessionStarted() => log.Add("started");

        public override void DataReceived(string data)
        {
            log.Add("data");
            _input.Append(data);
        }

        public override void EofReceived()
        {
            log.Add("eof");
            int total = _input.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Sum(int.Parse);
            Channel.Write($"Total = {total}\n");
            Channel.Exit(0);
        }

        public override void ConnectionLost(Exception? error)
        {
            log.Add(error is null ? "lost" : "lost " + error.Message);
            lost.TrySetResult();
        }
    }
}
