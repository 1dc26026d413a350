using Rx.Ssh.Server.Editor;
using static Rx.Ssh.Tests.Server.Editor.EditorHarness;

namespace Rx.Ssh.Tests.Server.Editor;

public sealed class LineEditorOutputTests
{
    private readonly EditorHarness _t = new();

    [Theory]
    [InlineData("x\ny", "x\r\ny")]
    [InlineData("a\r\nb\n", "a\r\nb\r\n")]
    [InlineData("\n\n", "\r\n\r\n")]
    [InlineData("no newline", "no newline")]
    [InlineData("", "")]
    public void With_nothing_typed_output_only_gets_crlf_line_ends(string output, string expected)
    {
        Assert.Equal(expected, new LineEditor().FormatOutput(output));
    }

    [Fact]
    public void A_crlf_split_across_writes_is_not_doubled()
    {
        var editor = new LineEditor();

        Assert.Equal("a\r", editor.FormatOutput("a\r"));
        Assert.Equal("\nb\r\n", editor.FormatOutput("\nb\n"));
    }

    [Fact]
    public void Output_while_a_line_is_typed_appears_above_it_and_the_line_comes_back()
    {
        _t.Type("ls -l" + Left + Left);

        _t.Write("hello\nworld\n");

        Assert.Equal(["hello", "world", "ls -l"], _t.Terminal.Rows);
        Assert.Equal(3, _t.Cursor);
        _t.Type("X\r");
        Assert.Equal(["ls X-l\n"], _t.Inputs);
        Assert.Equal(["hello", "world", "ls X-l", ""], _t.Terminal.Rows);
    }

    [Fact]
    public void Output_replaces_a_shorter_part_of_a_longer_typed_line()
    {
        _t.Type("a rather long command");

        _t.Write("ok\n");

        Assert.Equal(["ok", "a rather long command"], _t.Terminal.Rows);
        Assert.Equal(21, _t.Cursor);
    }

    [Fact]
    public void Type_ahead_follows_a_prompt_written_without_a_newline()
    {
        _t.Write("result\n");
        _t.Type("ls");

        _t.Write("$ ");

        Assert.Equal(["result", "$ ls"], _t.Terminal.Rows);
        Assert.Equal(4, _t.Cursor);
        _t.Type(Left + "\x7f" + Right + "x");
        Assert.Equal("$ sx", _t.Screen);
        Assert.Equal(4, _t.Cursor);
    }

    [Fact]
    public void Editing_after_a_prompt_never_touches_the_prompt()
    {
        _t.Write("user@host:~$ ");
        _t.Type("abc\x15xyz\x01\x7f\x17\x0c");

        Assert.Equal("user@host:~$ xyz", _t.Screen);
        Assert.Equal(13, _t.Cursor);
    }

    [Fact]
    public void Output_in_character_mode_is_only_converted()
    {
        _t.Type("partial");
        _t.Editor.LineMode = false;

        Assert.Equal("x\r\n", _t.Editor.FormatOutput("x\n"));
    }

    [Fact]
    public void Output_with_echo_off_does_not_reveal_the_line()
    {
        _t.Editor.Echo = false;
        _t.Type("secret");

        Assert.Equal("Password: ", _t.Editor.FormatOutput("Password: "));
    }

    [Fact]
    public void Prompt_escape_sequences_take_no_columns()
    {
        var t = new EditorHarness(width: 20);
        t.Editor.FormatOutput("\x1b]0;title\a\x1b[1;32m$\x1b[0m "); // not written: the test terminal knows no colours
        t.Terminal.Write("$ ");

        t.Type(new string('a', 17) + "b");

        Assert.Equal(0, t.Terminal.LastColumnWrites);
        Assert.EndsWith("ab", t.Screen, StringComparison.Ordinal);
        Assert.Equal(19, t.Cursor);
    }
}
