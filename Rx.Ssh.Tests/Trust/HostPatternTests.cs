using Rx.Ssh.Keys;

namespace Rx.Ssh.Tests.Trust;

public class HostPatternTests
{
    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("EXAMPLE.com", "example.COM", true)]
    [InlineData("a.example.com", "*.example.com", true)]
    [InlineData("example.com", "*.example.com", false)]
    [InlineData("host1", "host?", true)]
    [InlineData("host12", "host?", false)]
    [InlineData("host", "host?", false)]
    [InlineData("anything", "*", true)]
    [InlineData("", "*", true)]
    [InlineData("abcabcabd", "*abc*abd", true)]
    [InlineData("abcabcab", "*abc*abd", false)]
    [InlineData("[h]:2222", "[h]:*", true)]
    [InlineData("10.0.0.7", "10.0.0.?", true)]
    [InlineData("a.b", "a*b*", true)]
    public void Wildcards(string text, string pattern, bool expected)
        => Assert.Equal(expected, HostPattern.Matches(text, pattern));

    [Theory]
    [InlineData("a.example.com", "*.example.com,!b.example.com", "Match")]
    [InlineData("b.example.com", "*.example.com,!b.example.com", "Negated")]
    [InlineData("b.example.com", "!b.example.com,*.example.com", "Negated")]
    [InlineData("c.other.com", "*.example.com,!b.example.com", "None")]
    [InlineData("x", "!y", "None")]
    [InlineData("second", "first,second,third", "Match")]
    public void PatternLists(string name, string list, string expected)
        => Assert.Equal(expected, HostPattern.MatchList(name, list).ToString());

    [Fact]
    public void PathologicalPatternFinishesQuickly()
    {
        string text = new string('a', 5000);
        string pattern = string.Concat(Enumerable.Repeat("*a", 50)) + "b";
        Assert.False(HostPattern.Matches(text, pattern));
    }
}
