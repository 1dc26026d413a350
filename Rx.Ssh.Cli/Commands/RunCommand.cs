using System.CommandLine;
using System.Diagnostics;
using Rx.Ssh.Cli.Hosts;
using Spectre.Console;

namespace Rx.Ssh.Cli.Commands;

/// <summary>
/// <c>rxssh run -H hosts 'cmd'</c>: the command on every host at once (at most <c>--concurrency</c>
/// connections open), each output line as it arrives prefixed with its host (<c>host | line</c> on
/// stdout, <c>host ! line</c> on stderr), then a summary table. Exit code 0 when every host exited 0.
/// </summary>
internal static class RunCommand
{
    /// <summary>The default bound on connections open at once.</summary>
    public const int DefaultConcurrency = 16;

    /// <summary>Builds the command.</summary>
    public static Command Build(RxConsole console)
    {
        var connect = new ConnectArguments();
        var hosts = new Option<string[]>("--hosts", "-H") { Description = "hosts: host1,user@host2:2222,@hostsfile (repeatable)", Required = true, AllowMultipleArgumentsPerToken = false };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "connections open at once", DefaultValueFactory = _ => DefaultConcurrency };
        var commandLine = new Argument<string>("command") { Description = "the remote command" };
        var command = new Command("run", "Run a command on many hosts at once, output prefixed per host, then a summary.") { hosts, concurrency, commandLine };
        connect.AddTo(command);
        command.SetAction(async (parse, cancel) =>
        {
            IReadOnlyList<HostTarget> targets;
            try
            {
                targets = HostList.Expand(parse.GetValue(hosts) ?? []);
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                await console.Error.WriteLineAsync("rxssh run: " + ex.Message);
                return 2;
            }

            int limit = parse.GetValue(concurrency);
            if (limit < 1)
            {
                await console.Error.WriteLineAsync("rxssh run: --concurrency must be at least 1.");
                return 2;
            }

            string remote = parse.GetValue(commandLine)!;
            using var slots = new SemaphoreSlim(limit);
            var gate = new Lock();
            int width = targets.Max(t => t.Label.Length);
            HostResult[] results = await Task.WhenAll(targets.Select(async target =>
            {
                await slots.WaitAsync(cancel);
                try
                {
                    return await RunOneAsync(target, connect.ClientOptions(parse, target), connect.PortFor(parse, target), remote, width, console, gate, cancel);
                }
                finally
                {
                    slots.Release();
                }
            }));

            WriteSummary(console, results);
            return results.All(r => r.Succeeded) ? 0 : 1;
        });
        return command;
    }

    private static async Task<HostResult> RunOneAsync(HostTarget target, SshClientOptions options, int port, string remote, int width, RxConsole console, Lock gate, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        string label = target.Label.PadRight(width);
        var stdout = new LinePrefixer(label + " | ", console.Out, gate);
        var stderr = new LinePrefixer(label + " ! ", console.Error, gate);
        SshProcessExit? exit = null;
        try
        {
            await using SshClientConnection connection = await SshClient.ConnectAsync(target.Host, port, options, cancel);
            await connection.Exec(remote).ForEachAsync(
                e =>
                {
                    switch (e)
                    {
                        case SshDataReceived { Stream: SshStandardStream.Stderr } data:
                            stderr.Write(data.Text);
                            break;
                        case SshDataReceived data:
                            stdout.Write(data.Text);
                            break;
                        case SshExitReceived received:
                            exit = received.Exit;
                            break;
                    }
                },
                cancel);
            stdout.Flush();
            stderr.Flush();
            return new HostResult(target.Label, exit, null, clock.Elapsed);
        }
        catch (Exception ex) when (ex is SshException or IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException)
        {
            stdout.Flush();
            stderr.Flush();
            lock (gate)
            {
                console.Error.WriteLine($"{label} ! rxssh: {ex.Message}");
            }

            return new HostResult(target.Label, exit, ex.Message, clock.Elapsed);
        }
    }

    private static void WriteSummary(RxConsole console, IReadOnlyList<HostResult> results)
    {
        var table = new Table().AddColumn("host").AddColumn("status").AddColumn(new TableColumn("time").RightAligned());
        foreach (HostResult result in results)
        {
            string status = Markup.Escape(result.Status);
            table.AddRow(
                Markup.Escape(result.Label),
                result.Succeeded ? $"[green]{status}[/]" : $"[red]{status}[/]",
                $"{result.Elapsed.TotalSeconds:0.00}s");
        }

        int failed = results.Count(r => !r.Succeeded);
        table.Caption($"{results.Count - failed} ok, {failed} failed");
        console.Ansi.Write(table);
    }
}
