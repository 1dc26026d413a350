using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Scp;

/// <summary>
/// <see cref="ScpClient"/> downloading from a scripted remote <c>scp -f</c> that misbehaves: a name
/// with <c>/</c> or <c>..</c>, garbage, a file shorter or longer than announced, a fatal line. Each
/// is an <see cref="ScpException"/> with a clear text, nothing is written outside the target and
/// nothing partial is left as if complete.
/// </summary>
public sealed class ScpClientBadServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxscp-badsrv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Target => Directory.CreateDirectory(Path.Combine(_dir, "target")).FullName;

    [Theory]
    [InlineData("C0644 4 ../evil\n", "unexpected filename: ../evil")]
    [InlineData("C0644 4 sub/evil\n", "unexpected filename: sub/evil")]
    [InlineData("C0644 4 ..\n", "unexpected filename: ..")]
    [InlineData("D0755 0 ..\n", "unexpected filename: ..")]
    [InlineData("garbage\n", "expected control record")]
    [InlineData("C0644 abc x\n", "bad size")]
    public async Task A_bad_record_stops_the_copy_and_writes_nothing(string record, string expected)
    {
        string target = Target;
        ScpException error = await CopyFromScriptAsync(target, Encoding.UTF8.GetBytes(record + "evil"));

        Assert.True(error.IsFatal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(target));
        Assert.Equal(["target"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_shorter_than_announced_is_an_error_and_not_left_behind()
    {
        string target = Target;
        ScpException error = await CopyFromScriptAsync(target, Encoding.UTF8.GetBytes("C0644 100 short.bin\nonly ten.."));

        Assert.Contains("short.bin: file shorter than announced", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target, "short.bin")));
    }

    [Fact]
    public async Task A_file_longer_than_announced_is_an_error_and_not_left_behind()
    {
        string target = Target;
        ScpException error = await CopyFromScriptAsync(target, Encoding.UTF8.GetBytes("C0644 4 long.bin\nfour and more"));

        Assert.Contains("long.bin: file longer than announced", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target, "long.bin")));
    }

    [Fact]
    public async Task A_warning_fails_one_file_and_the_next_is_still_copied()
    {
        string target = Target;
        ScpException error = await CopyFromScriptAsync(target, Encoding.UTF8.GetBytes("\x01scp: first.txt: Permission denied\nC0644 2 second.txt\nok\0"));

        Assert.False(error.IsFatal);
        Assert.Equal(["first.txt: Permission denied"], error.Errors);
        Assert.Equal("ok", await File.ReadAllTextAsync(Path.Combine(target, "second.txt")));
    }

    [Fact]
    public async Task A_fatal_line_is_the_remotes_text()
    {
        ScpException error = await CopyFromScriptAsync(Target, Encoding.UTF8.GetBytes("\x02scp: ambiguous target\n"));

        Assert.True(error.IsFatal);
        Assert.Equal("ambiguous target", error.Message);
    }

    // A remote whose scp -f sends the script (after the client's first \0) and then reads acks until EOF.
    private static async Task<ScpException> CopyFromScriptAsync(string target, byte[] script)
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async process =>
        {
            byte[] one = new byte[1];
            _ = await process.Stdin.ReadAsync(one);
            await process.Stdout.WriteAsync(script);
            await process.Stdout.CloseAsync();
            await process.Stdin.DiscardAsync();
            process.ExitStatus = 1;
        }));

        return await Assert.ThrowsAsync<ScpException>(() => ScpClient.Copy((pair.Client, "whatever"), target).ToTask().WaitAsync(TestTimeout.Default));
    }
}
