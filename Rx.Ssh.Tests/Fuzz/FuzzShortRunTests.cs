using System.Text.RegularExpressions;
using Rx.Ssh.Fuzz;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Fuzz;

/// <summary>
/// A short run of every fuzz target (issue 16, item 4): 20 s with a fixed seed, so the inputs are
/// the same on every run (only how many fit in the time varies). Every parser of untrusted bytes
/// must answer each one with a documented error, within 1 s and bounded memory.
/// </summary>
public sealed class FuzzShortRunTests
{
    [Fact]
    public async Task Twenty_seconds_of_every_target_find_no_failure()
    {
        // Its own process, as a user runs it: the hang and memory watch must not see the other tests' threads and allocations.
        string failures = Directory.CreateTempSubdirectory("rxssh-fuzz-test-").FullName;
        try
        {
            ProcessResult run = await ProcessRunner.RunAsync(
                "dotnet",
                [Path.Combine(AppContext.BaseDirectory, "Rx.Ssh.Fuzz.dll"), "--seconds", "20", "--seed", "20261202", "--failures", failures],
                timeout: TimeSpan.FromSeconds(120));

            string[] lines = run.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Match last = Regex.Match(lines[^1], @"^fuzzed (\d+) inputs in \d+ s: (\d+) failures$");
            Assert.True(last.Success, run.ToString());
            Assert.True(last.Groups[2].Value == "0" && run.ExitCode == 0, run.ToString());
            Assert.True(long.Parse(last.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 1000, run.ToString());
            Assert.Empty(Directory.GetFiles(failures));
        }
        finally
        {
            Directory.Delete(failures, recursive: true);
        }
    }

    [Fact]
    public void The_list_names_every_parser_family()
    {
        using var output = new StringWriter();
        Assert.Equal(0, FuzzProgram.Run(["--list"], output));

        string[] names = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Superset(
            new HashSet<string>(["private-key", "public-key", "certificate", "known-hosts", "authorized-keys", "ssh-config", "moduli", "scp-control-line", "scp-command", "sftp-request", "sftp-reply", "socks", "agent-reply", "transport-server", "transport-client"]),
            new HashSet<string>(names));
    }
}
