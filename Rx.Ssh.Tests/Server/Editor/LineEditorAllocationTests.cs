using Rx.Ssh.Server.Editor;

namespace Rx.Ssh.Tests.Server.Editor;

/// <summary>Per key the editor allocates the echo string and nothing else (8 bytes of slack per key for alignment).</summary>
public sealed class LineEditorAllocationTests
{
    [Theory]
    [InlineData("x", "\x7f", 0)] // typing and erasing at the end
    [InlineData("x", "\x7f", 30)] // in the middle: the rest of the line is redrawn
    [InlineData("\x1b[D", "\x1b[C", 30)] // cursor moves
    [InlineData("\x1b[D", "\x1b[C", 100)] // cursor moves that scroll a long line
    public void A_key_allocates_only_its_echo(string key, string undo, int leftMoves)
    {
        var editor = new LineEditor(maxLineLength: 1_000_000);
        var sink = new DiscardingSink();
        editor.Process(new string('a', 150) + string.Concat(Enumerable.Repeat("\x1b[D", leftMoves)), sink);
        for (int i = 0; i < 100; i++)
        {
            editor.Process(key, sink);
            editor.Process(undo, sink);
        }

        const int Keys = 2000;
        sink.EchoBytes = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Keys / 2; i++)
        {
            editor.Process(key, sink);
            editor.Process(undo, sink);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, sink.EchoBytes + (8 * Keys));
    }

    private sealed class DiscardingSink : ILineEditorSink
    {
        /// <summary>The heap size of the echo strings received (header, length, characters, terminator).</summary>
        public long EchoBytes { get; set; }

        public void Echo(string terminalOutput) => EchoBytes += 22 + (2 * terminalOutput.Length);

        public void Input(string text)
        {
        }

        public void EndOfInput()
        {
        }

        public void Interrupt()
        {
        }
    }
}
