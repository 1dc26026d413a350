using Rx.Ssh.Server.Editor;
using static Rx.Ssh.Tests.Server.Editor.EditorHarness;

namespace Rx.Ssh.Tests.Server.Editor;

public sealed class LineEditorKeyTests
{
    private readonly EditorHarness _t = new();

    [Fact]
    public void Typed_characters_are_echoed_with_the_cursor_after_them()
    {
        _t.Type("hello");

        Assert.Equal("hello", _t.Screen);
        Assert.Equal(5, _t.Cursor);
        Assert.Empty(_t.Inputs);
    }

    [Fact]
    public void Characters_typed_in_the_middle_are_inserted_and_the_rest_redrawn()
    {
        _t.Type("helo" + Left + "l");

        Assert.Equal("hello", _t.Screen);
        Assert.Equal(4, _t.Cursor);
        _t.Type("\r");
        Assert.Equal(["hello\n"], _t.Inputs);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Enter_hands_over_the_line_and_moves_to_a_new_row(string enter)
    {
        _t.Type("ls -l" + Left + Left + enter);

        Assert.Equal(["ls -l\n"], _t.Inputs);
        Assert.Equal(["ls -l", ""], _t.Terminal.Rows);
        Assert.Equal(0, _t.Cursor);
    }

    [Fact]
    public void Cr_lf_counts_once_also_when_split_across_calls()
    {
        _t.Type("a\r\nb\r").Type("\nc\r\n");

        Assert.Equal(["a\n", "b\n", "c\n"], _t.Inputs);
        Assert.Equal(["a", "b", "c", ""], _t.Terminal.Rows);
    }

    [Fact]
    public void Repeated_cr_or_lf_enter_empty_lines()
    {
        _t.Type("\r\r\n\n");

        Assert.Equal(["\n", "\n", "\n"], _t.Inputs);
    }

    [Fact]
    public void Lf_after_cr_and_another_key_is_an_enter_of_its_own()
    {
        _t.Type("a\rb\n");

        Assert.Equal(["a\n", "b\n"], _t.Inputs);
    }

    [Theory]
    [InlineData("\x7f")]
    [InlineData("\b")]
    public void Backspace_deletes_before_the_cursor(string backspace)
    {
        _t.Type("abc" + backspace);
        Assert.Equal("ab", _t.Screen);
        Assert.Equal(2, _t.Cursor);

        _t.Type("cd" + Left + Left + backspace);
        Assert.Equal("acd", _t.Screen);
        Assert.Equal(1, _t.Cursor);

        _t.Type(backspace + backspace);
        Assert.Equal("cd", _t.Screen);
        Assert.Equal(0, _t.Cursor);

        _t.Type("\r");
        Assert.Equal(["cd\n"], _t.Inputs);
    }

    [Fact]
    public void Ctrl_u_kills_the_whole_line()
    {
        _t.Type("rm -rf /" + Left + Left + "\x15");

        Assert.Equal("", _t.Screen);
        Assert.Equal(0, _t.Cursor);
        _t.Type("ok\r");
        Assert.Equal(["ok\n"], _t.Inputs);
    }

    [Fact]
    public void Ctrl_w_deletes_the_word_before_the_cursor_and_blanks_after_it()
    {
        _t.Type("ls foo bar  \x17");
        Assert.Equal("ls foo", _t.Screen);
        Assert.Equal(7, _t.Cursor);

        _t.Type(Left + Left + "\x17");
        Assert.Equal("ls o", _t.Screen);
        Assert.Equal(3, _t.Cursor);

        _t.Type("\r");
        Assert.Equal(["ls o \n"], _t.Inputs);
    }

    [Fact]
    public void Ctrl_k_kills_to_the_end()
    {
        _t.Type("echo hi there" + Repeat(Left, 6) + "\x0b");

        Assert.Equal("echo hi", _t.Screen);
        Assert.Equal(7, _t.Cursor);
    }

    [Fact]
    public void Ctrl_a_ctrl_e_ctrl_b_ctrl_f_move_the_cursor()
    {
        _t.Type("abcdef\x01");
        Assert.Equal(0, _t.Cursor);
        _t.Type("\x06\x06");
        Assert.Equal(2, _t.Cursor);
        _t.Type("\x02");
        Assert.Equal(1, _t.Cursor);
        _t.Type("\x05");
        Assert.Equal(6, _t.Cursor);
        _t.Type("\x06\x06");
        Assert.Equal(6, _t.Cursor);
        _t.Type("\x01\x02X");
        Assert.Equal("Xabcdef", _t.Screen);
    }

    [Theory]
    [InlineData("\x1b[D", "\x1b[C")]
    [InlineData("\x1bOD", "\x1bOC")]
    [InlineData("\x1b[1;5D", "\x1b[1;5C")]
    public void Arrow_keys_move_left_and_right(string left, string right)
    {
        _t.Type("abc" + left + left);
        Assert.Equal(1, _t.Cursor);
        _t.Type(right);
        Assert.Equal(2, _t.Cursor);
        _t.Type("X");
        Assert.Equal("abXc", _t.Screen);
        Assert.Equal(3, _t.Cursor);
    }

    [Theory]
    [InlineData("\x1b[H", "\x1b[F")]
    [InlineData("\x1bOH", "\x1bOF")]
    [InlineData("\x1b[1~", "\x1b[4~")]
    [InlineData("\x1b[7~", "\x1b[8~")]
    public void Home_and_end_keys(string home, string end)
    {
        _t.Type("middle" + Left + Left + home);
        Assert.Equal(0, _t.Cursor);
        _t.Type("<" + end + ">");
        Assert.Equal("<middle>", _t.Screen);
        Assert.Equal(8, _t.Cursor);
    }

    [Fact]
    public void Delete_key_deletes_under_the_cursor()
    {
        _t.Type("abcd" + Left + Left + Delete);
        Assert.Equal("abd", _t.Screen);
        Assert.Equal(2, _t.Cursor);

        _t.Type("\x05" + Delete);
        Assert.Equal("abd", _t.Screen);
        Assert.Equal(3, _t.Cursor);
    }

    [Fact]
    public void Ctrl_d_on_an_empty_line_is_end_of_input()
    {
        _t.Type("\x04");

        Assert.Equal(["eof"], _t.Sink.Events);
        Assert.Equal("", _t.Sink.Echoed.ToString());
    }

    [Fact]
    public void Ctrl_d_on_a_non_empty_line_deletes_under_the_cursor()
    {
        _t.Type("abc" + Left + Left + "\x04");
        Assert.Equal("ac", _t.Screen);
        Assert.Equal(1, _t.Cursor);

        _t.Type("\x05\x04");
        Assert.Equal("ac", _t.Screen);
        Assert.Empty(_t.Sink.Events);
    }

    [Fact]
    public void Ctrl_c_discards_the_line_and_interrupts()
    {
        _t.Type("sleep 100" + Left + Left + "\x03");

        Assert.Equal(["interrupt"], _t.Sink.Events);
        Assert.Equal(["sleep 100^C", ""], _t.Terminal.Rows);
        Assert.Equal(0, _t.Cursor);

        _t.Type("x\r");
        Assert.Equal(["interrupt", "input:x\n"], _t.Sink.Events);
    }

    [Fact]
    public void Echo_before_an_event_reaches_the_terminal_first()
    {
        var editor = new LineEditor();
        var sink = new OrderCheckingSink();
        editor.Process("ab\x03", sink);

        Assert.Equal("ab^C\r\n", sink.EchoedBeforeInterrupt);
    }

    [Fact]
    public void Ctrl_l_redraws_the_line()
    {
        _t.Type("hello" + Left + Left);
        _t.Terminal.Scribble();

        _t.Type("\x0c");

        Assert.Equal("hello", _t.Screen);
        Assert.Equal(3, _t.Cursor);
    }

    [Theory]
    [InlineData("\x00")]
    [InlineData("\x07")]
    [InlineData("\x1a")]
    [InlineData("\x1b[5~")]
    [InlineData("\x1b[Z")]
    [InlineData("\x1bx")]
    [InlineData("\x1b[200~")]
    [InlineData("\u0085")]
    public void Unknown_keys_and_control_characters_are_ignored(string key)
    {
        _t.Type("ab" + key + "c\r");

        Assert.Equal(["abc\n"], _t.Inputs);
        Assert.Equal(["abc", ""], _t.Terminal.Rows);
    }

    [Fact]
    public void Escape_followed_by_enter_still_enters_the_line()
    {
        _t.Type("ab\x1b\r");

        Assert.Equal(["ab\n"], _t.Inputs);
    }

    [Fact]
    public void Tab_is_kept_in_the_line_and_shown_as_one_space()
    {
        _t.Type("a\tb" + Left);

        Assert.Equal("a b", _t.Screen);
        Assert.Equal(2, _t.Cursor);
        _t.Type("\r");
        Assert.Equal(["a\tb\n"], _t.Inputs);
    }

    [Theory]
    [InlineData("\x1b[D")]
    [InlineData("\x1bOD")]
    [InlineData("\x1b[3~")]
    [InlineData("\x1b[1;5D")]
    public void Escape_sequences_split_across_calls_are_decoded(string key)
    {
        var whole = new EditorHarness().Type("abc" + Left + key + "X\r");
        _t.TypeOneByOne("abc" + Left + key + "X\r");

        Assert.Equal(whole.Inputs, _t.Inputs);
        Assert.Equal(whole.Terminal.Rows, _t.Terminal.Rows);
        Assert.NotEqual(["abXc\n"], _t.Inputs); // the key did something besides nothing
    }

    [Fact]
    public void Escape_sequences_split_at_every_point_give_the_same_screen()
    {
        const string Keys = "hello" + Left + Left + "\x1b[3~" + "\x1bOH" + ">" + "\x1b[4~" + "<";
        for (int split = 0; split <= Keys.Length; split++)
        {
            var t = new EditorHarness().Type(Keys[..split]).Type(Keys[split..]);

            Assert.Equal(">helo<", t.Screen);
            Assert.Equal(6, t.Cursor);
        }
    }

    [Fact]
    public void Lines_beyond_the_maximum_length_ring_the_bell()
    {
        var t = new EditorHarness(new LineEditor(maxLineLength: 5));

        t.Type("abcdefg");
        Assert.Equal("abcde", t.Screen);
        Assert.Equal(2, t.Terminal.Bells);

        t.Type("\x7fZ\r");
        Assert.Equal(["abcdZ\n"], t.Inputs);
    }

    [Fact]
    public void Surrogate_pairs_are_one_character()
    {
        _t.Type("a\U0001F600b" + Left);
        Assert.Equal("a\U0001F600b", _t.Screen);
        Assert.Equal(2, _t.Cursor);

        _t.Type(Left + "\x7f");
        Assert.Equal("\U0001F600b", _t.Screen);
        Assert.Equal(0, _t.Cursor);

        _t.Type(Delete + "\U0001F680\r");
        Assert.Equal(["\U0001F680b\n"], _t.Inputs);
    }

    [Fact]
    public void Surrogate_pairs_split_across_calls_are_joined()
    {
        _t.TypeOneByOne("x\U0001F600y\r");

        Assert.Equal(["x\U0001F600y\n"], _t.Inputs);
        Assert.Equal("x\U0001F600y", _t.Terminal.RowText(0));
    }

    [Fact]
    public void Lone_surrogates_are_dropped()
    {
        _t.Type("a\uD83Db\uDE00c\r");

        Assert.Equal(["abc\n"], _t.Inputs);
    }

    private sealed class OrderCheckingSink : ILineEditorSink
    {
        private readonly System.Text.StringBuilder _echoed = new();

        public string? EchoedBeforeInterrupt { get; private set; }

        public void Echo(string terminalOutput) => _echoed.Append(terminalOutput);

        public void Input(string text) => throw new InvalidOperationException("no input expected");

        public void EndOfInput() => throw new InvalidOperationException("no end of input expected");

        public void Interrupt() => EchoedBeforeInterrupt = _echoed.ToString();
    }
}
