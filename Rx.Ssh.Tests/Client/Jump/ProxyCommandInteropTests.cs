using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Client.Jump;
using Rx.Ssh.Tests.Infrastructure;
using static Rx.Ssh.Tests.Client.Jump.JumpTestSupport;

namespace Rx.Ssh.Tests.Client.Jump;

/// <summary>
/// <see cref="SshClientOptions.ProxyCommand"/> (issue 15, item 3): OpenSSH's <c>ssh -W %h:%p</c>
/// through sshd and a small perl TCP bridge as the transport, stderr to the logger, the process
/// killed when the connection ends, early exits as <see cref="SshProxyCommandException"/>.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class ProxyCommandInteropTests : IDisposable
{
    // A TCP bridge between stdin/stdout and host:port ($ARGV[0]:$ARGV[1]), announcing itself on stderr.
    private const string PerlBridge = """
        use strict; use IO::Socket::INET; use IO::Select;
        my $s = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => $ARGV[1], Proto => 'tcp') or die "bridge: cannot connect: $!\n";
        print STDERR "bridge connected to $ARGV[0]:$ARGV[1]\n";
        binmode STDIN; binmode STDOUT;
        my $sel = IO::Select->new(\*STDIN, $s);
        sub put { my ($h, $b) = @_; while (length $b) { my $w = syswrite($h, $b); exit 0 unless $w; substr($b, 0, $w) = ''; } }
        while (my @ready = $sel->can_read) {
            for my $h (@ready) {
                my $n = sysread($h, my $buf, 65536);
                exit 0 unless $n;
                if (fileno($h) == fileno($s)) { put(\*STDOUT, $buf) } else { put($s, $buf) }
            }
        }
        """;

    private readonly SshdServer _sshd;
    private readonly string _directory = Directory.CreateTempSubdirectory("rxssh-proxycmd-").FullName;

    public ProxyCommandInteropTests(SshdFixture fixture) => _sshd = fixture.Server;

    public void Dispose() => KeyCache.TryDelete(_directory);

    [Fact]
    public async Task Ssh_W_through_sshd_reaches_our_server_and_the_process_is_killed_when_the_connection_ends()
    {
        await using RxSshServerUnderTest target = await StartTargetAsync();
        string command = string.Join(' ', [
            "ssh", "-F", "none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + _sshd.KnownHostsPath, "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", TestKeys.Ed25519.PrivateKeyPath,
            "-p", _sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-W", "%h:%p", SshdServer.UserName + "@" + SshdServer.Host]);
        var logs = new LogCollector();
        SshClientOptions options = OptionsFor(target.KnownHostsPath) with { ProxyCommand = command, UserName = "viaw", LoggerFactory = logs };

        SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, target.Port, options).WaitAsync(TestTimeout.Long);
        int pid = ProxyPid(logs);
        try
        {
            Assert.Equal("ran over ssh -W as viaw\n", (await conn.RunAsync("over ssh -W").WaitAsync(TestTimeout.Long)).Stdout);
            Assert.True(IsRunning(pid));
        }
        finally
        {
            await conn.DisposeAsync().AsTask().WaitAsync(TestTimeout.Long);
        }

        Assert.False(IsRunning(pid));
        Assert.Null(await conn.Completion.WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task A_perl_bridge_carries_the_connection_and_its_stderr_goes_to_the_logger()
    {
        await using RxSshServerUnderTest target = await StartTargetAsync();
        string script = await WriteScriptAsync(PerlBridge);
        using var logs = new LogCollector();
        SshClientOptions options = OptionsFor(target.KnownHostsPath) with
        {
            ProxyCommand = $"perl {script} %h %p",
            Logger = logs.CreateLogger("proxy"),
        };

        await using SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, target.Port, options).WaitAsync(TestTimeout.Long);

        Assert.Equal($"ran bridged as {SshdServer.UserName}\n", (await conn.RunAsync("bridged").WaitAsync(TestTimeout.Long)).Stdout);
        await logs.WaitForLineAsync($"ProxyCommand: bridge connected to 127.0.0.1:{target.Port}").WaitAsync(TestTimeout.Default);
    }

    [Fact]
    public async Task A_command_that_exits_early_fails_with_its_exit_code_and_stderr()
    {
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyCommand = "sh -c 'echo no route to %h >&2; exit 3'" };

        SshProxyCommandException e = await Assert.ThrowsAsync<SshProxyCommandException>(
            () => SshClient.ConnectAsync("db.internal", 22, options).WaitAsync(TestTimeout.Long));

        Assert.Equal(3, e.ExitCode);
        Assert.Equal("no route to db.internal", e.StandardErrorTail);
        Assert.Equal("sh -c 'echo no route to db.internal >&2; exit 3'", e.Command);
        Assert.Contains("exited with code 3: no route to db.internal", e.Message, StringComparison.Ordinal);
        Assert.Equal(DisconnectReason.ConnectionLost, e.Reason);
    }

    [Fact]
    public async Task A_command_flooding_stderr_keeps_only_a_bounded_tail()
    {
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with
        {
            ProxyCommand = "sh -c 'head -c 3000000 /dev/zero | tr \\\\0 x >&2; i=0; while [ $i -lt 2000 ]; do echo line $i >&2; i=$((i+1)); done; exit 4'",
        };

        SshProxyCommandException e = await Assert.ThrowsAsync<SshProxyCommandException>(
            () => SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long));

        Assert.Equal(4, e.ExitCode);
        Assert.InRange(e.StandardErrorTail.Length, 1, 8192);
        Assert.EndsWith("line 1999", e.StandardErrorTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_that_does_not_exist_fails_with_the_shells_exit_code()
    {
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyCommand = "/nonexistent/rxssh-proxy %h %p" };

        SshProxyCommandException e = await Assert.ThrowsAsync<SshProxyCommandException>(
            () => SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long));

        Assert.Equal(127, e.ExitCode);
        Assert.Contains("/nonexistent/rxssh-proxy", e.StandardErrorTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_dying_later_ends_the_connection_with_the_typed_error()
    {
        string script = await WriteScriptAsync(PerlBridge);
        var logs = new LogCollector();
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyCommand = $"perl {script} %h %p", LoggerFactory = logs };
        await using SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long);
        Assert.Equal("up\n", (await conn.RunAsync("echo up").WaitAsync(TestTimeout.Long)).Stdout);

        using (var process = Process.GetProcessById(ProxyPid(logs)))
        {
            process.Kill();
        }

        SshProxyCommandException e = Assert.IsType<SshProxyCommandException>(await conn.Completion.WaitAsync(TestTimeout.Long));
        Assert.Equal(137, e.ExitCode); // killed by SIGKILL
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task<string> WriteScriptAsync(string text)
    {
        string path = Path.Combine(_directory, "bridge.pl");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>The proxy command's process id, from the client's log.</summary>
    private static int ProxyPid(LogCollector logs) =>
        Assert.Single(logs.Entries, e => e.EventId == SshLogEvents.Client.ProxyCommandStarted).Value<int>("Pid");
}
