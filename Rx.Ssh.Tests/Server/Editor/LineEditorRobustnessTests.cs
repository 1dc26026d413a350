using Rx.Ssh.Server.Editor;

namespace Rx.Ssh.Tests.Server.Editor;

public sealed class LineEditorRobustnessTests
{
    /// <summary>
    /// Seeded random input (control characters, escape sequence fragments, surrogates, text) in random chunks:
    /// the editor must only ever send the terminal what it may (the virtual terminal throws otherwise), never put
    /// a control character or a broken surrogate into a line, and keep its cursor inside the line.
    /// </summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Random_input_never_breaks_the_editor(int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["\x1b", "[", "O", "1", ";", "5", "~", "A", "D", "3", "\r", "\n", "\x7f", "\uD83D", "\uDE00", "\t", "é", "x", " "];
        var t = new EditorHarness(new LineEditor(historySize: 3, maxLineLength: 30), width: 16);

        for (int step = 0; step < 5000; step++)
        {
            var chunk = new System.Text.StringBuilder();
            for (int n = random.Next(1, 6); n > 0; n--)
            {
                chunk.Append(random.Next(4) == 0 ? (char)random.Next(0, 0xa0) : pieces[random.Next(pieces.Length)][0]);
            }

            t.Type(chunk.ToString());
            if (random.Next(50) == 0)
            {
                t.Write("out\n");
            }

            Assert.InRange(t.Editor.CursorPosition, 0, 30);
            Assert.InRange(t.Cursor, 0, 15);
        }

        Assert.Equal(0, t.Terminal.LastColumnWrites);
        Assert.NotEmpty(t.Inputs);
        foreach (string line in t.Inputs)
        {
            Assert.EndsWith("\n", line, StringComparison.Ordinal);
            Assert.DoesNotContain(line[..^1], c => char.IsControl(c) && c != '\t');
            Assert.True(System.Text.Unicode.Utf8.FromUtf16(line, new byte[line.Length * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done);
        }
    }
}
