using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading.Channels;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Server.Editor;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// OpenSSH's <c>ssh -tt</c> on a real pseudo-terminal against the Rx.Ssh server: the pty-req's
/// terminal type and size, window changes, and the server's line editor as a user types.
/// </summary>
public sealed class ServerInteropPtyTests : IAsyncLifetime
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = HandleAsync });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>
    /// exec <c>size</c>: reports the terminal, then the first window change. Anything else: a
    /// prompt loop that records each line it reads, reports signals, and exits 4 at EOF.
    /// </summary>
    private async Task HandleAsync(SshServerProcess process)
    {
        if (process.Command == "size")
        {
            Task<SshTerminal> change = process.TerminalSizeChanges.FirstAsync().ToTask();
            SshTerminal t = process.Terminal!;
            await process.Stdout.WriteLineAsync($"term={t.TerminalType} size={t.Columns}x{t.Rows} editing={process.Channel.IsLineEditing}");
            SshTerminal changed = await change.WaitAsync(TestTimeout.Default);
            await process.Stdout.WriteLineAsync($"resized={changed.Columns}x{changed.Rows} now={process.Terminal!.Columns}x{process.Terminal.Rows}");
            return;
        }

        if (process.Command == "secret")
        {
            process.Channel.Echo = false;
            await process.Stdout.WriteAsync("Password: ");
            string? secret = await process.Stdin.ReadLineAsync();
            process.Channel.Echo = true;
            await process.Stdout.WriteLineAsync($"\nlength={secret?.Length}");
            return;
        }

        using IDisposable signals = process.Signals.Subscribe(s => process.Stdout.Write($"signal {s}\n> "));
        await process.Stdout.WriteAsync("> ");
        while (await process.Stdin.ReadLineAsync() is { } line)
        {
            _lines.Writer.TryWrite(line);
            await process.Stdout.WriteAsync($"got [{line}]\n> ");
        }

        await process.Stdout.WriteLineAsync("bye");
        process.ExitStatus = 4;
    }

    private async Task<string> NextLineAsync() => await _lines.Reader.ReadAsync().AsTask().WithTimeout();

    /// <summary>Types <paramref name="keys"/> and returns the line the handler read and the screen line it was typed on.</summary>
    private async Task<(string Line, string Screen)> TypeLineAsync(PtySession pty, string keys)
    {
        pty.Write(keys);
        string line = await NextLineAsync();
        await pty.WaitForOutputAsync($"got [{line}]");
        var terminal = new VirtualTerminal(pty.Size.Columns);
        terminal.Write(pty.Output);
        IReadOnlyList<string> screen = terminal.Rows;
        int gotRow = screen.ToList().FindLastIndex(l => l == $"got [{line}]");
        Assert.True(gotRow > 0, string.Join('\n', screen));
        return (line, screen[gotRow - 1]);
    }

    [Fact]
    public async Task The_handler_sees_the_terminal_type_size_and_resizes()
    {
        await using PtySession pty = Server.Client().StartPty("size", term: "vt220", size: new TerminalSize(97, 31));
        await pty.WaitForOutputAsync("term=vt220 size=97x31 editing=True");

        pty.Resize(new TerminalSize(120, 40));

        await pty.WaitForOutputAsync("resized=120x40 now=120x40");
        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task Typed_lines_are_echoed_and_backspace_edits_them()
    {
        await using PtySession pty = Server.Client().StartPty();
        await pty.WaitForOutputAsync("> ");

        (string line, string screen) = await TypeLineAsync(pty, "abX\x7f" + "c\r");
        Assert.Equal("abc", line);
        Assert.Equal("> abc", screen);

        (line, screen) = await TypeLineAsync(pty, "\x7f\x7fok\r");
        Assert.Equal("ok", line);
        Assert.Equal("> ok", screen);

        pty.Write("\x04");
        await pty.WaitForOutputAsync("bye");
        Assert.Equal(4, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task Ctrl_c_is_an_interrupt_signal_and_discards_the_line()
    {
        await using PtySession pty = Server.Client().StartPty();
        await pty.WaitForOutputAsync("> ");

        pty.Write("half a line\x03");
        await pty.WaitForOutputAsync("signal INT");
        (string line, _) = await TypeLineAsync(pty, "fresh\r");

        Assert.Equal("fresh", line);
    }

    [Fact]
    public async Task Ctrl_u_erases_the_line()
    {
        await using PtySession pty = Server.Client().StartPty();
        await pty.WaitForOutputAsync("> ");

        (string line, string screen) = await TypeLineAsync(pty, "garbage here\x15real\r");

        Assert.Equal("real", line);
        Assert.Equal("> real", screen);
    }

    [Fact]
    public async Task Ctrl_w_erases_the_previous_word()
    {
        await using PtySession pty = Server.Client().StartPty();
        await pty.WaitForOutputAsync("> ");

        (string line, string screen) = await TypeLineAsync(pty, "one two\x17three\r");

        Assert.Equal("one three", line);
        Assert.Equal("> one three", screen);
    }

    [Fact]
    public async Task Left_arrow_moves_the_cursor_and_typing_inserts()
    {
        await using PtySession pty = Server.Client().StartPty();
        await pty.WaitForOutputAsync("> ");

        (string line, string screen) = await TypeLineAsync(pty, "acd\x1b[D\x1b[Db\r");

        Assert.Equal("abcd", line);
        Assert.Equal("> abcd", screen);
    }

    [Fact]
    public async Task Up_arrow_recalls_earlier_lines()
    {
        await using PtySession pty = Server.Client().StartPty();
        await pty.WaitForOutputAsync("> ");
        await TypeLineAsync(pty, "first\r");
        await TypeLineAsync(pty, "second\r");

        (string line, string screen) = await TypeLineAsync(pty, "\x1b[A\x1b[A\r");
        Assert.Equal("first", line);
        Assert.Equal("> first", screen);

        (line, screen) = await TypeLineAsync(pty, "\x1b[A!\r");
        Assert.Equal("first!", line);
        Assert.Equal("> first!", screen);
    }

    [Fact]
    public async Task With_echo_off_a_typed_secret_never_reaches_the_terminal()
    {
        await using PtySession pty = Server.Client().StartPty("secret");
        await pty.WaitForOutputAsync("Password: ");

        pty.Write("hunter2\r");

        await pty.WaitForOutputAsync("length=7");
        Assert.Equal(0, await pty.WaitForExitAsync());
        Assert.DoesNotContain("hunter", pty.Output, StringComparison.Ordinal);
    }
}
