using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;

namespace Rx.Ssh.Config;

/// <summary>
/// One <c>Match</c> line: its criteria (<c>all</c>, <c>canonical</c>, <c>final</c>, <c>exec</c>,
/// <c>host</c>, <c>originalhost</c>, <c>user</c>, <c>localuser</c>, <c>localnetwork</c>,
/// <c>tagged</c>, each negated by a leading <c>!</c>) all have to hold. Once one fails, later
/// <c>exec</c> commands are not run, as in ssh.
/// </summary>
internal sealed class ConfigMatch(ConfigEvaluator evaluator, ConfigLine line, bool finalPass, SshConfigResolveOptions options)
{
    /// <summary>Whether the line matches; <paramref name="final"/> says it has a <c>final</c> or <c>canonical</c> criterion.</summary>
    /// <exception cref="SshConfigException">An unknown criterion, a missing argument, <c>all</c> combined with others.</exception>
    public bool Evaluate(out bool final)
    {
        final = false;
        IReadOnlyList<string> args = line.Arguments;
        if (args.Count == 0)
        {
            throw line.Error("Match needs a criterion");
        }

        bool result = true;
        for (int i = 0; i < args.Count; i++)
        {
            string criterion = args[i].ToLowerInvariant();
            bool negate = criterion.StartsWith('!');
            criterion = negate ? criterion[1..] : criterion;
            bool holds;
            switch (criterion)
            {
                case "all":
                    if (args.Count(a => a.TrimStart('!').ToLowerInvariant() is not ("final" or "canonical")) > 1)
                    {
                        throw line.Error("'all' cannot be combined with other Match criteria");
                    }

                    holds = true;
                    break;
                case "canonical":
                case "final":
                    final = true;
                    holds = finalPass;
                    break;
                default:
                    if (i + 1 >= args.Count)
                    {
                        throw line.Error($"Match {criterion} needs an argument");
                    }

                    string argument = args[++i];
                    holds = criterion switch
                    {
                        "host" => MatchesList(evaluator.CurrentHostName(), argument),
                        "originalhost" => MatchesList(OriginalHost(), argument),
                        "user" => MatchesList(evaluator.CurrentUser(), argument),
                        "localuser" => MatchesList(options.LocalUser, argument),
                        "tagged" => MatchesList(Tag(), argument),
                        "localnetwork" => InLocalNetwork(argument),
                        "exec" => result && Exec(argument),
                        _ => throw line.Error($"unsupported Match criterion '{criterion}'"),
                    };
                    break;
            }

            if (holds == negate)
            {
                result = false;
            }
        }

        return result;
    }

    private string OriginalHost() => evaluator.Tokens().OriginalHost;

    private string Tag() => evaluator.Values.TryGetValue("tag", out List<ConfigValue>? v) ? v[0].First : "";

    private static bool MatchesList(string value, string list) =>
        Keys.HostPattern.MatchList(value, list) == Keys.HostPattern.ListMatch.Match;

    private bool Exec(string command)
    {
        string expanded = evaluator.Tokens().Expand(command, line, tilde: false, environment: false);
        return (options.Exec ?? RunShell)(expanded);
    }

    private static bool RunShell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using Process process = Process.Start(start) ?? throw new SshConfigException($"Match exec could not start /bin/sh for '{command}'");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    private bool InLocalNetwork(string list)
    {
        var networks = new List<IPNetwork>();
        foreach (string item in list.Split(','))
        {
            if (!IPNetwork.TryParse(item.Trim(), out IPNetwork network))
            {
                throw line.Error($"bad network '{item}' in Match localnetwork");
            }

            networks.Add(network);
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(a => networks.Exists(n => n.Contains(a.Address)));
    }
}
