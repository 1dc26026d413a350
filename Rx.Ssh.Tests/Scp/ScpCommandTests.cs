using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Scp.Protocol;
using Rx.Ssh.Sftp.Scp.Server;

namespace Rx.Ssh.Tests.Scp;

/// <summary>The scp command line as the server splits it, and the client's quoting that must survive that split (and a POSIX shell's).</summary>
public sealed class ScpCommandTests
{
    [Fact]
    public void OpenSsh_style_command_is_parsed()
    {
        ScpCommand command = ScpCommand.Parse("scp -v -r -p -d -t -- /srv/in");
        Assert.True(command.Sink && command.Recursive && command.Preserve && command.TargetIsDirectory && command.Verbose);
        Assert.Equal("/srv/in", Assert.Single(command.Paths).Path);
    }

    [Theory]
    [InlineData("it's here", false)]
    [InlineData("a b\\c\"d$e", false)]
    [InlineData("logs/*.log", true)]
    [InlineData("x[12]?.txt", true)]
    public void Client_quoting_round_trips_and_keeps_wildcards_only_where_meant(string path, bool wildcard)
    {
        ScpCommandPath quoted = Assert.Single(ScpCommand.Parse("scp -t -- " + ScpClient.Quote(path)).Paths);
        Assert.Equal(path, quoted.Path);
        Assert.True(quoted.Quoted);

        ScpCommandPath kept = Assert.Single(ScpCommand.Parse("scp -f -- " + ScpClient.QuoteKeepingWildcards(path)).Paths);
        Assert.Equal(path, kept.Path);
        Assert.Equal(wildcard, !kept.Quoted && kept.Path.AsSpan().IndexOfAny("*?[") >= 0);
    }

    [Fact]
    public void An_escaped_wildcard_is_literal()
    {
        Assert.True(Assert.Single(ScpCommand.Parse(@"scp -f a\*b").Paths).Quoted);
    }

    [Fact]
    public void Control_lines_format_and_parse_back()
    {
        var file = new ScpControlLine(ScpLineKind.File, 0x1A4, 12345, "name with spaces.txt");
        Assert.Equal("C0644 12345 name with spaces.txt\n", file.Format());
        Assert.Equal(file, ScpControlLine.Parse(file.Format().TrimEnd('\n')));
        Assert.Equal(new ScpControlLine(ScpLineKind.Times, ModifyTime: 5, AccessTime: 7), ScpControlLine.Parse("T5 0 7 0"));
    }
}
