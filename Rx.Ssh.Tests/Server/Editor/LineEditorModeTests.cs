using static Rx.Ssh.Tests.Server.Editor.EditorHarness;

namespace Rx.Ssh.Tests.Server.Editor;

public sealed class LineEditorModeTests
{
    private readonly EditorHarness _t = new();

    [Fact]
    public void With_echo_off_nothing_of_the_line_is_shown_but_enter_echoes_a_new_line()
    {
        _t.Type("p4ss").Editor.Echo = false;
        _t.Type("\x15secret" + Left + Left + "\x7f" + Up + Down + "\x0c" + Delete);

        Assert.Equal("", _t.Sink.Echoed.ToString()[4..]);
        _t.Type("\r");
        Assert.Equal("p4ss\r\n", _t.Sink.Echoed.ToString());
        Assert.Equal(["sect\n"], _t.Inputs);
    }

    [Fact]
    public void Lines_typed_with_echo_off_are_not_kept_in_history()
    {
        _t.Type("visible\r");
        _t.Editor.Echo = false;
        _t.Type("password\r");
        _t.Editor.Echo = true;

        _t.Type(Up);
        Assert.Equal("visible", _t.Screen);
    }

    [Fact]
    public void Turning_echo_back_on_shows_the_whole_line()
    {
        _t.Type("ab");
        _t.Editor.Echo = false;
        _t.Type("cd");
        _t.Editor.Echo = true;
        _t.Type("e");

        Assert.Equal("abcde", _t.Screen);
        Assert.Equal(5, _t.Cursor);
    }

    [Fact]
    public void Character_mode_passes_every_character_through_unechoed()
    {
        _t.Editor.LineMode = false;
        _t.Type("ab\x03\x04\r\n\x1b[A\x7f\U0001F600");

        Assert.Equal(["ab\x03\x04\r\n\x1b[A\x7f\U0001F600"], _t.Inputs);
        Assert.Equal(["input:ab\x03\x04\r\n\x1b[A\x7f\U0001F600"], _t.Sink.Events);
        Assert.Equal("", _t.Sink.Echoed.ToString());
    }

    [Fact]
    public void A_switch_to_character_mode_made_by_the_application_applies_to_the_next_character()
    {
        _t.Sink.OnInput = line => _t.Editor.LineMode = line != "vi\n";

        _t.Type("vi\rjj:q\r");

        Assert.Equal(["vi\n", "jj:q\r"], _t.Inputs);
        Assert.Equal(["vi", ""], _t.Terminal.Rows);
    }

    [Fact]
    public void Back_in_line_mode_editing_resumes_with_an_empty_line()
    {
        _t.Editor.LineMode = false;
        _t.Type("x");
        _t.Editor.LineMode = true;
        _t.Type("ab" + Left + "\x7f\r");

        Assert.Equal(["x", "b\n"], _t.Inputs);
    }

    [Fact]
    public void A_partial_line_survives_character_mode_and_is_redrawn_when_line_mode_returns()
    {
        _t.Type("par");
        _t.Editor.LineMode = false;
        _t.Type("q");
        _t.Terminal.Write("\r\n"); // what the application drew meanwhile moved the cursor to a fresh row
        _t.Editor.LineMode = true;
        _t.Type("t");

        Assert.Equal("part", _t.Screen);
        Assert.Equal(4, _t.Cursor);
        _t.Type("\r");
        Assert.Equal(["q", "part\n"], _t.Inputs);
    }

    [Fact]
    public void An_unfinished_escape_sequence_goes_to_the_application_after_a_switch()
    {
        _t.Type("\x1b[1");
        _t.Editor.LineMode = false;
        _t.Type(";5A");

        Assert.Equal(["\x1b[1;5A"], _t.Inputs);
    }

    [Fact]
    public void The_lf_of_a_cr_lf_that_entered_a_line_is_swallowed_after_a_switch()
    {
        _t.Sink.OnInput = _ => _t.Editor.LineMode = false;
        _t.Type("cmd\r").Type("\n").Type("\nq");

        Assert.Equal(["cmd\n", "\nq"], _t.Inputs);

        _t.Editor.LineMode = true;
        _t.Type("cmd\r\nq");
        Assert.Equal(["cmd\n", "\nq", "cmd\n", "q"], _t.Inputs);
    }
}
