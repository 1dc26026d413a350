using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Wire;

/// <summary>Peer text is made safe for exceptions, logs and terminals (issue 9, L11).</summary>
public sealed class PeerTextTests
{
    [Fact]
    public void Plain_text_comes_back_unchanged()
    {
        const string text = "Bye: too many authentication failures (é, 日本語, \\ and \"quotes\")";
        Assert.Same(text, PeerText.Sanitize(text));
    }

    [Theory]
    [InlineData("a\u001b[2Jb", "a\\033[2Jb")]
    [InlineData("line\nforged", "line\\012forged")]
    [InlineData("cr\roverwrite", "cr\\015overwrite")]
    [InlineData("tab\tdel\u007f", "tab\\011del\\177")]
    [InlineData("c1\u009bcsi", "c1\\233csi")]
    [InlineData("bidi\u202Eevil", "bidi\\u{202E}evil")]
    [InlineData("zero\u200Bwidth", "zero\\u{200B}width")]
    [InlineData("sep\u2028x", "sep\\u{2028}x")]
    [InlineData("nul\0x", "nul\\000x")]
    public void Control_and_format_characters_become_escapes(string text, string expected)
    {
        Assert.Equal(expected, PeerText.Sanitize(text));
    }

    [Fact]
    public void Multiline_text_keeps_line_feeds_tabs_and_crlf_but_not_escape_or_a_lone_cr()
    {
        Assert.Equal("Welcome\r\n\tto host\n\\033]0;owned\\007 x\\015y", PeerText.Sanitize("Welcome\r\n\tto host\n\u001b]0;owned\u0007 x\ry", multiline: true));
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character()
    {
        Assert.Equal("a\uFFFDb", PeerText.Sanitize("a\uD800b"));
    }

    [Fact]
    public void Long_text_is_cut_to_the_bound_with_a_marker_never_inside_an_escape()
    {
        string cut = PeerText.Sanitize(new string('x', 100_000));
        Assert.Equal(PeerText.DefaultMaxLength, cut.Length);
        Assert.EndsWith(PeerText.TruncationMarker, cut, StringComparison.Ordinal);

        string escapes = PeerText.Sanitize(new string('\u001b', 100), maxLength: 14);
        Assert.Equal("\\033\\033" + PeerText.TruncationMarker, escapes); // 11 characters: a third escape would not leave room

        Assert.Equal("0123456789", PeerText.Sanitize("0123456789", maxLength: 10));
        Assert.Equal("012345\\033", PeerText.Sanitize("012345\u001b", maxLength: 10));
    }
}
