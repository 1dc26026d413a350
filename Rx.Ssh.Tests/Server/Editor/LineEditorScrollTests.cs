using System.Text;
using Rx.Ssh.Server.Editor;
using static Rx.Ssh.Tests.Server.Editor.EditorHarness;

namespace Rx.Ssh.Tests.Server.Editor;

/// <summary>Lines wider than the terminal scroll horizontally inside the row; the last column is never written.</summary>
public sealed class LineEditorScrollTests
{
    private const int Width = 12;

    [Fact]
    public void A_long_line_scrolls_to_keep_the_cursor_visible()
    {
        var t = new EditorHarness(width: Width);

        t.Type("abcdefghijklmnopqrstuvwxyz");

        Assert.InRange(t.Cursor, 0, Width - 1);
        Assert.EndsWith("xyz", t.Screen, StringComparison.Ordinal);
        Assert.Equal(0, t.Terminal.LastColumnWrites);

        t.Type("\x01");
        Assert.Equal("abcdefghijk", t.Screen);
        Assert.Equal(0, t.Cursor);

        t.Type("\r");
        Assert.Equal(["abcdefghijklmnopqrstuvwxyz\n"], t.Inputs);
        Assert.Equal(0, t.Terminal.LastColumnWrites);
    }

    [Fact]
    public void A_line_that_shrinks_back_fits_the_row_again()
    {
        var t = new EditorHarness(width: Width);

        t.Type("abcdefghijklmnopqrstuvwxyz" + Repeat("\x7f", 20));

        Assert.Equal("abcdef", t.Screen);
        Assert.Equal(6, t.Cursor);
    }

    [Fact]
    public void Output_with_a_long_partial_line_redraws_the_visible_part()
    {
        var t = new EditorHarness(width: Width);
        t.Type("abcdefghijklmnopqrstuvwxyz" + Repeat(Left, 10));
        string before = t.Screen;
        int cursor = t.Cursor;

        t.Write("news\n");

        Assert.Equal("news", t.Terminal.RowText(t.Terminal.Row - 1));
        Assert.Equal(before, t.Screen);
        Assert.Equal(cursor, t.Cursor);
    }

    [Fact]
    public void Ctrl_c_on_a_full_row_shows_within_the_row()
    {
        var t = new EditorHarness(width: Width);

        t.Type("abcdefghijklmnopqrstuvwxyz\x03");

        Assert.EndsWith("^C", t.Terminal.RowText(0), StringComparison.Ordinal);
        Assert.Equal(Width - 1, t.Terminal.RowText(0).Length);
        Assert.Equal(0, t.Terminal.LastColumnWrites);
        Assert.Equal(["interrupt"], t.Sink.Events);
    }

    /// <summary>
    /// Random editing (seeded, so repeatable) on a narrow terminal behind a prompt: after every call the row must
    /// show what the application wrote on it and then exactly a window of the line, with the terminal's cursor on
    /// the editor's cursor.
    /// </summary>
    [Theory]
    [InlineData(1, "")]
    [InlineData(2, "> ")]
    [InlineData(3, "long prompt ")]
    public void Random_editing_always_shows_a_window_of_the_line_at_the_cursor(int seed, string prompt)
    {
        var random = new Random(seed);
        string[] keys =
        [
            "a", "b", "c", " ", "\t", "\U0001F600", "xyz", Left, Right, Up, Down, "\x01", "\x05", "\x7f", Delete,
            "\x17", "\x0b", "\x0c", "\x1b[H", "\x1b[F", "\x15",
        ];
        var t = new EditorHarness(new LineEditor(historySize: 5, maxLineLength: 40), width: Width + prompt.Length);
        t.Write(prompt);
        string onRow = prompt; // what the application wrote on the row before the input

        for (int step = 0; step < 3000; step++)
        {
            int roll = random.Next(100);
            var typed = new StringBuilder();
            int count = 1 + random.Next(4);
            for (int i = 0; i < count; i++)
            {
                typed.Append(roll < 3 ? "\r" : keys[random.Next(keys.Length)]);
            }

            if (roll < 3)
            {
                t.Type(typed.ToString()).Write(prompt);
                onRow = prompt;
            }
            else if (roll < 6)
            {
                t.Type(typed.ToString()).Write("out\n");
                onRow = ""; // the partial line is redrawn on a fresh row
            }
            else
            {
                t.Type(typed.ToString());
            }

            AssertShowsWindow(t, onRow);
        }

        Assert.Equal(0, t.Terminal.LastColumnWrites);
    }

    private static void AssertShowsWindow(EditorHarness t, string prompt)
    {
        string[] line = [.. Elements(t.Editor.CurrentLine.Replace('\t', ' '))];
        int available = t.Terminal.Width - prompt.Length - 1;
        int column = t.Cursor - prompt.Length;
        int first = t.Editor.CursorPosition - column;

        Assert.InRange(column, 0, available);
        Assert.InRange(first, 0, line.Length);
        string window = string.Concat(line.Skip(first).Take(available));
        Assert.Equal((prompt + window).TrimEnd(' '), t.Screen);
    }

    private static IEnumerable<string> Elements(string text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            yield return rune.ToString();
        }
    }
}
