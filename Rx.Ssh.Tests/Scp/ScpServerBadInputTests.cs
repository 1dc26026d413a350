using System.Text;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Scp;

/// <summary>
/// A raw rcp client that speaks garbage to our <see cref="ScpServer"/>: every malformed command or
/// control line is answered with a fatal <c>\x02</c> line naming the problem and exit status 1,
/// nothing is written outside the target and nothing partial is left as if complete.
/// </summary>
public sealed class ScpServerBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-scpbad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("Xgarbage\n", "expected control record")]
    [InlineData("C0644 5 ../evil\n", "unexpected filename: ../evil")]
    [InlineData("C0644 5 sub/evil\n", "unexpected filename: sub/evil")]
    [InlineData("C0644 5 ..\n", "unexpected filename: ..")]
    [InlineData("C0644 5 .\n", "unexpected filename: .")]
    [InlineData("C0644 5 \n", "unexpected filename")]
    [InlineData("C06x4 5 a\n", "bad mode")]
    [InlineData("C0644 -5 a\n", "bad size")]
    [InlineData("C0644 99999999999999999999 a\n", "bad size")]
    [InlineData("C0644 5\n", "size not delimited")]
    [InlineData("D0755 0 dir\n", "received directory without -r")]
    [InlineData("E\n", "unexpected E line")]
    [InlineData("T1 0 2\n", "malformed T line")]
    [InlineData("T1 9999999 2 0\n", "time out of range")]
    [InlineData("Eextra\n", "malformed E line")]
    public async Task A_bad_control_line_is_a_fatal_error(string line, string expected)
    {
        (int status, string output) = await RunAsync($"scp -t {_dir}", Encoding.UTF8.GetBytes(line));

        Assert.Equal(1, status);
        Assert.StartsWith("\0\x02scp: ", output, StringComparison.Ordinal);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_dir)!, "evil")));
    }

    [Fact]
    public async Task An_endless_control_line_is_refused_at_the_bound()
    {
        byte[] line = [(byte)'C', .. Enumerable.Repeat((byte)'0', 100_000)];
        (int status, string output) = await RunAsync($"scp -t {_dir}", line);

        Assert.Equal(1, status);
        Assert.Contains("Control line longer than 4096 bytes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_cut_short_is_an_error_and_not_left_behind()
    {
        (int status, string output) = await RunAsync($"scp -t {_dir}", Encoding.UTF8.GetBytes("C0644 100 cut.bin\nonly ten.."));

        Assert.Equal(1, status);
        Assert.Contains("\x02scp: Connection closed with 90 bytes of the file still to come", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "cut.bin")));
    }

    [Fact]
    public async Task A_file_whose_client_reports_a_read_error_is_not_kept()
    {
        (int status, string output) = await RunAsync($"scp -t {_dir}", Encoding.UTF8.GetBytes("C0644 3 bad.bin\nabc\x01scp: read error\n"));

        Assert.Equal(1, status);
        Assert.False(File.Exists(Path.Combine(_dir, "bad.bin")));
        Assert.Equal("\0\0", output);
    }

    [Theory]
    [InlineData("scp")]
    [InlineData("scp -t")]
    [InlineData("scp -x -t /tmp")]
    [InlineData("scp -t -f /tmp")]
    [InlineData("scp -t 'unterminated")]
    [InlineData("scp -t /a /b")]
    public async Task A_bad_command_is_a_fatal_error(string command)
    {
        (int status, string output) = await RunAsync(command, []);

        Assert.Equal(1, status);
        Assert.StartsWith("\x02scp: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_upload_then_garbage_keeps_the_good_file()
    {
        (int status, string output) = await RunAsync($"scp -t {_dir}", Encoding.UTF8.GetBytes("C0600 5 good.txt\nhello\0Q\n"));

        Assert.Equal(1, status);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(_dir, "good.txt")));
        Assert.StartsWith("\0\0\0\x02scp: expected control record", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_download_of_a_missing_file_is_a_warning_and_status_1()
    {
        (int status, string output) = await RunAsync($"scp -f {_dir}/missing", [0]);

        Assert.Equal(1, status);
        Assert.Equal($"\x01scp: {_dir}/missing: No such file or directory\n", output);
    }

    [Fact]
    public async Task Garbage_over_a_real_session_gets_a_fatal_line_and_exit_status_1()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(
            ScpServer.CreateProcessHandler(_ => new LocalFileSystem())));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync($"scp -t {_dir}").WaitAsync(TestTimeout.Default);
        await process.Stdin.WriteAsync(Encoding.UTF8.GetBytes("C0644 5 ../escape\n"));
        await process.Stdin.CloseAsync();

        byte[] buffer = new byte[4096];
        var output = new MemoryStream();
        int read;
        while ((read = await process.Stdout.ReadAsync(buffer).AsTask().WaitAsync(TestTimeout.Default)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        SshProcessExit exit = await process.WaitForExitAsync().WaitAsync(TestTimeout.Default);
        Assert.Equal(1, exit.ExitStatus);
        Assert.Equal("\0\x02scp: unexpected filename: ../escape\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_dir)!, "escape")));
    }

    [Fact]
    public async Task A_non_scp_session_is_refused_by_the_scp_only_handler()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(
            ScpServer.CreateProcessHandler(_ => new LocalFileSystem())));
        SshCompletedProcess result = await pair.Client.RunAsync("ls").WaitAsync(TestTimeout.Default);
        Assert.Equal(1, result.ExitCode);
    }

    // Runs the server over in-memory streams: the input is sent and closed, the output collected.
    private static async Task<(int Status, string Output)> RunAsync(string command, byte[] input)
    {
        var stdin = new MemoryStream(input);
        var stdout = new MemoryStream();
        await using var fileSystem = new LocalFileSystem();
        int status = await ScpServer.RunAsync(
            command,
            fileSystem,
            (memory, ct) => stdin.ReadAsync(memory, ct),
            (data, ct) => stdout.WriteAsync(data, ct).AsTask(),
            CancellationToken.None).WaitAsync(TestTimeout.Default);
        return (status, Encoding.UTF8.GetString(stdout.ToArray()));
    }
}
