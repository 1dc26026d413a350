using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>OpenSSH's ssh running commands on the Rx.Ssh server: exit codes, stderr, stdin, environment, signals.</summary>
public sealed class ServerInteropExecTests : IAsyncLifetime
{
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = ServerInteropCommands.HandleAsync, AcceptEnv = ["RX_*", "LANG"] });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(255)]
    public async Task The_exit_status_becomes_ssh_s_exit_code(int status)
    {
        ProcessResult result = await Server.Client().RunAsync("exit " + status);

        Assert.True(result.ExitCode == status, result.ToString());
        Assert.Empty(result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task Stderr_and_stdout_arrive_separately()
    {
        ProcessResult result = await Server.Client().RunAsync("stderr something went wrong");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("out\n", result.StdoutText);
        Assert.Equal("something went wrong\n", result.Stderr);
    }

    [Fact]
    public async Task Stdin_is_read_to_eof()
    {
        byte[] input = Encoding.UTF8.GetBytes("one\ntwo\r\nthree");

        ProcessResult result = await Server.Client().RunAsync("lines", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("3 lines, last=three\n", result.StdoutText);
    }

    [Fact]
    public async Task Empty_stdin_is_an_immediate_eof()
    {
        ProcessResult result = await Server.Client().RunAsync("lines");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("0 lines, last=\n", result.StdoutText);
    }

    [Fact]
    public async Task SetEnv_reaches_the_process_environment_for_accepted_names_only()
    {
        OpenSshClient ssh = Server.Client() with
        {
            SetEnv = new Dictionary<string, string>
            {
                ["RX_ONE"] = "1", ["RX_SPACED"] = "a b c", ["LANG"] = "C.UTF-8", ["LD_PRELOAD"] = "/tmp/evil.so", ["SSH_ORIGINAL_COMMAND"] = "spoofed",
            },
        };

        ProcessResult result = await ssh.RunAsync("env RX_ONE RX_SPACED LANG RX_MISSING LD_PRELOAD SSH_ORIGINAL_COMMAND");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("RX_ONE=1\nRX_SPACED=a b c\nLANG=C.UTF-8\nRX_MISSING unset\nLD_PRELOAD unset\nSSH_ORIGINAL_COMMAND unset\n", result.StdoutText);
    }

    [Fact]
    public async Task An_unknown_command_fails_with_status_127()
    {
        ProcessResult result = await Server.Client().RunAsync("no-such-thing");

        Assert.True(result.ExitCode == 127, result.ToString());
        Assert.Equal("unknown command: no-such-thing\n", result.Stderr);
    }

    [Fact]
    public async Task Exit_signal_makes_ssh_exit_255_after_the_output()
    {
        // OpenSSH's ssh records only exit-status; on exit-signal it has no status and exits 255
        // (it logs the signal at debug level only).
        ProcessResult result = await (Server.Client() with { Options = ["LogLevel=DEBUG1"] }).RunAsync("signal TERM");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Equal("dying\n", result.StdoutText);
        Assert.Contains("exit-signal", result.Stderr, StringComparison.Ordinal);
    }
}
