using System.Diagnostics;
using System.Text.RegularExpressions;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Cli;

/// <summary>Each rxssh subcommand end to end against sshd (and serve against OpenSSH's ssh), run as the built tool.</summary>
public sealed partial class RxsshToolTests : IAsyncLifetime
{
    private SshdServer? _sshd;
    private readonly string _home = Directory.CreateTempSubdirectory("rxssh-home-").FullName;

    private SshdServer Sshd => _sshd!;

    private string Target => $"127.0.0.1:{Sshd.Port}";

    private string[] Login => ["-i", TestKeys.Ed25519.PrivateKeyPath, "--known-hosts", Sshd.KnownHostsPath];

    public async Task InitializeAsync() => _sshd = await SshdServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Sshd.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Run_PrefixesEachHostsLines_AndSummarises()
    {
        string hostsFile = Path.Combine(_home, "hosts");
        await File.WriteAllTextAsync(hostsFile, $"# fleet\n{Environment.UserName}@{Target}\n");
        ProcessResult result = await RxsshTool.RunAsync(_home, ["run", "-H", $"{Target},@{hostsFile}", .. Login, "echo out; echo err >&2"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{Target} | out", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains($"{Environment.UserName}@{Target} | out", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains($"{Target} ! err", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("| err", result.StdoutText, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(result.StdoutText, "exit 0").Count);
        Assert.Contains("2 ok, 0 failed", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ThroughAJumpHost_WithMinusJ()
    {
        ProcessResult result = await RxsshTool.RunAsync(_home, ["run", "-H", Target, "-J", $"{Environment.UserName}@{Target}", .. Login, "echo jumped"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{Target} | jumped", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("1 ok, 0 failed", result.StdoutText, StringComparison.Ordinal);

        // The jump host is really used: one that is not there fails the run, naming it.
        ProcessResult viaNowhere = await RxsshTool.RunAsync(_home, ["run", "-H", Target, "-J", "127.0.0.1:1", .. Login, "echo jumped"]);
        Assert.NotEqual(0, viaNowhere.ExitCode);
        Assert.Contains("127.0.0.1:1", viaNowhere.StdoutText + viaNowhere.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("| jumped", viaNowhere.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AFailingCommandAndAnUnreachableHost_ExitNonZero()
    {
        int closed = SshdServer.FindFreePort();
        ProcessResult result = await RxsshTool.RunAsync(_home, ["run", "-H", $"{Target},127.0.0.1:{closed}", "--connect-timeout", "5", .. Login, "exit 3"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("exit 3", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("error:", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("0 ok, 2 failed", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutThenGet_Recursive_RoundTripsATree()
    {
        string local = Path.Combine(_home, "tree");
        Directory.CreateDirectory(Path.Combine(local, "sub"));
        await File.WriteAllTextAsync(Path.Combine(local, "a.txt"), "alpha");
        await File.WriteAllBytesAsync(Path.Combine(local, "sub", "b.bin"), [.. Enumerable.Range(0, 100_000).Select(i => (byte)i)]);
        string remote = Directory.CreateTempSubdirectory("rxssh-remote-").FullName;
        string back = Path.Combine(_home, "back");
        Directory.CreateDirectory(back);
        try
        {
            ProcessResult put = await RxsshTool.RunAsync(_home, ["put", "-H", Target, .. Login, "-r", local, remote]);
            Assert.True(put.ExitCode == 0, put.ToString());
            Assert.Contains("put: 2 files, 100005 bytes", put.StdoutText, StringComparison.Ordinal);
            Assert.Equal("alpha", await File.ReadAllTextAsync(Path.Combine(remote, "tree", "a.txt")));

            ProcessResult get = await RxsshTool.RunAsync(_home, ["get", "-H", Target, .. Login, "-r", "-P", remote + "/tr*", back]);
            Assert.True(get.ExitCode == 0, get.ToString());
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(local, "sub", "b.bin")),
                await File.ReadAllBytesAsync(Path.Combine(back, "tree", "sub", "b.bin")));
        }
        finally
        {
            Directory.Delete(remote, recursive: true);
        }
    }

    [Fact]
    public async Task Get_AMissingFile_FailsWithAMessage()
    {
        ProcessResult get = await RxsshTool.RunAsync(_home, ["get", "-H", Target, .. Login, "/nonexistent/rxssh-missing", _home]);
        Assert.Equal(1, get.ExitCode);
        Assert.StartsWith("rxssh get:", get.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ed25519", "ED25519")]
    [InlineData("ecdsa", "ECDSA")]
    [InlineData("rsa", "RSA")]
    public async Task Keygen_WritesKeysSshKeygenReads(string type, string shown)
    {
        string file = Path.Combine(_home, "id_" + type);
        ProcessResult made = await RxsshTool.RunAsync(_home, "keygen", "-t", type, "-f", file, "-N", "secret words", "-C", "me@test");
        Assert.True(made.ExitCode == 0, made.ToString());

        ProcessResult listed = await ProcessRunner.RunAsync("ssh-keygen", ["-l", "-f", file + ".pub"]);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains($"me@test ({shown})", listed.StdoutText, StringComparison.Ordinal);

        ProcessResult derived = await ProcessRunner.RunAsync("ssh-keygen", ["-y", "-P", "secret words", "-f", file]);
        Assert.True(derived.ExitCode == 0, derived.ToString());
        string[] pub = (await File.ReadAllTextAsync(file + ".pub")).Split(' ');
        Assert.StartsWith(pub[0] + " " + pub[1], derived.StdoutText, StringComparison.Ordinal);

        ProcessResult again = await RxsshTool.RunAsync(_home, "keygen", "-f", file);
        Assert.Equal(1, again.ExitCode);
    }

    [Fact]
    public async Task Keyscan_PrintsKnownHostsLinesSshAccepts()
    {
        ProcessResult scan = await RxsshTool.RunAsync(_home, "keyscan", Target);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        string[] lines = scan.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            Sshd.HostKeys.Select(k => $"[127.0.0.1]:{Sshd.Port} {k.SshKeyType} {k.PublicKeyBase64}").Order(StringComparer.Ordinal),
            lines.Order(StringComparer.Ordinal));

        string knownHosts = Path.Combine(_home, "scanned_known_hosts");
        await File.WriteAllTextAsync(knownHosts, scan.StdoutText);
        ProcessResult ssh = await ProcessRunner.RunAsync("ssh", ["-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "IdentitiesOnly=yes", "-i", TestKeys.Ed25519.PrivateKeyPath, "-p", Sshd.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1", "echo trusted"], timeout: TestTimeout.Long);
        Assert.True(ssh.ExitCode == 0, ssh.ToString());
        Assert.Equal("trusted\n", ssh.StdoutText);
    }

    [Fact]
    public async Task Serve_RunsCommandsForRxsshRun_AndStopsOnSigint()
    {
        string authorized = Path.Combine(_home, "authorized_keys");
        await File.WriteAllTextAsync(authorized, TestKeys.Ed25519.PublicKeyLine + "\n");
        ProcessStartInfo start = ProcessRunner.CreateStartInfo("dotnet", [RxsshTool.DllPath, "serve", "--port", "0", "--authorized-keys", authorized], RxsshTool.Environment(_home));
        start.WorkingDirectory = _home;
        using var serve = Process.Start(start)!;
        try
        {
            string? line;
            int port = 0;
            using var timeout = TestTimeout.CreateCancellation(TestTimeout.Long);
            while ((line = await serve.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                Match listening = ListeningLine().Match(line);
                if (listening.Success)
                {
                    port = int.Parse(listening.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                }
            }

            Assert.NotEqual(0, port);
            ProcessResult scan = await RxsshTool.RunAsync(_home, "keyscan", $"127.0.0.1:{port}");
            Assert.True(scan.ExitCode == 0, scan.ToString());
            string knownHosts = Path.Combine(_home, "serve_known_hosts");
            await File.WriteAllTextAsync(knownHosts, scan.StdoutText);

            ProcessResult run = await RxsshTool.RunAsync(_home, "run", "-H", $"127.0.0.1:{port}", "-i", TestKeys.Ed25519.PrivateKeyPath, "--known-hosts", knownHosts, "echo served");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains($"127.0.0.1:{port} | served", run.StdoutText, StringComparison.Ordinal);

            ProcessResult signal = await ProcessRunner.RunAsync("kill", ["-INT", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Assert.Equal(0, signal.ExitCode);
            string rest = await serve.StandardOutput.ReadToEndAsync(timeout.Token);
            await serve.WaitForExitAsync(timeout.Token);
            Assert.Contains("serve: stopping", rest, StringComparison.Ordinal);
            Assert.Equal(0, serve.ExitCode);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill();
            }
        }
    }

    [GeneratedRegex(@"listening on .*:(\d+);")]
    private static partial Regex ListeningLine();
}
