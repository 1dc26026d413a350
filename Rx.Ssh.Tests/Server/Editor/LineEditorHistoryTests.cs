using Rx.Ssh.Server.Editor;
using static Rx.Ssh.Tests.Server.Editor.EditorHarness;

namespace Rx.Ssh.Tests.Server.Editor;

public sealed class LineEditorHistoryTests
{
    private readonly EditorHarness _t = new();

    [Fact]
    public void Up_recalls_entered_lines_most_recent_first_and_stops_at_the_oldest()
    {
        _t.Type("one\rtwo\rthree\r");

        _t.Type(Up);
        Assert.Equal("three", _t.Screen);
        Assert.Equal(5, _t.Cursor);
        _t.Type(Up);
        Assert.Equal("two", _t.Screen); // the longer line's leftovers are erased
        Assert.Equal(3, _t.Cursor);
        _t.Type(Up + Up);
        Assert.Equal("one", _t.Screen);
    }

    [Fact]
    public void Down_walks_back_and_past_the_newest_returns_to_the_line_being_typed()
    {
        _t.Type("one\rtwo\r").Type("partial" + Left + Up + Up);
        Assert.Equal("one", _t.Screen);

        _t.Type(Down);
        Assert.Equal("two", _t.Screen);
        _t.Type(Down);
        Assert.Equal("partial", _t.Screen);
        Assert.Equal(7, _t.Cursor);
        _t.Type(Down);
        Assert.Equal("partial", _t.Screen);

        _t.Type("\r");
        Assert.Equal("partial\n", _t.Inputs[^1]);
    }

    [Fact]
    public void Ctrl_p_and_ctrl_n_walk_the_history_too()
    {
        _t.Type("one\rtwo\r\x10\x10");
        Assert.Equal("one", _t.Screen);
        _t.Type("\x0e");
        Assert.Equal("two", _t.Screen);
    }

    [Fact]
    public void Editing_a_recalled_line_enters_the_edit_and_keeps_the_original()
    {
        _t.Type("one\rtwo\r").Type(Up + Up + "X\r");
        Assert.Equal("oneX\n", _t.Inputs[^1]);

        _t.Type(Up);
        Assert.Equal("oneX", _t.Screen);
        _t.Type(Up);
        Assert.Equal("two", _t.Screen);
        _t.Type(Up);
        Assert.Equal("one", _t.Screen);
    }

    [Fact]
    public void Moving_away_from_an_edited_recalled_line_discards_the_edit()
    {
        _t.Type("one\rtwo\r").Type(Up + "\x7f\x7f" + Up + Down);

        Assert.Equal("two", _t.Screen);
    }

    [Fact]
    public void Empty_lines_and_repeats_of_the_newest_line_are_not_stored()
    {
        _t.Type("a\r\rb\rb\r\r").Type(Up);
        Assert.Equal("b", _t.Screen);
        _t.Type(Up);
        Assert.Equal("a", _t.Screen);
        _t.Type(Up);
        Assert.Equal("a", _t.Screen);
    }

    [Fact]
    public void History_keeps_only_the_newest_lines()
    {
        var t = new EditorHarness(new LineEditor(historySize: 2));
        t.Type("1\r2\r3\r").Type(Up + Up + Up);

        Assert.Equal("2", t.Screen);
    }

    [Fact]
    public void A_zero_size_history_recalls_nothing()
    {
        var t = new EditorHarness(new LineEditor(historySize: 0));
        t.Type("1\rx" + Up);

        Assert.Equal("x", t.Screen);
    }

    [Fact]
    public void Interrupting_a_recalled_line_leaves_history_alone()
    {
        _t.Type("one\r").Type(Up + "\x03" + Up);

        Assert.Equal("one", _t.Screen);
        Assert.Equal(["input:one\n", "interrupt"], _t.Sink.Events);
    }
}
