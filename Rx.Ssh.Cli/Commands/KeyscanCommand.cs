using System.CommandLine;
using Rx.Ssh.Cli.Hosts;

namespace Rx.Ssh.Cli.Commands;

/// <summary>
/// <c>rxssh keyscan [-t types] host[:port]...</c>: fetches each server's host keys, one key
/// exchange per host key algorithm, and prints them as known_hosts lines (as ssh-keyscan). Nothing is
/// trusted or authenticated: each connection stops right after the server's key is seen.
/// </summary>
internal static class KeyscanCommand
{
    /// <summary>The host key algorithms asked for by default, one connection each.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512"];

    /// <summary>Builds the command.</summary>
    public static Command Build(RxConsole console)
    {
        var types = new Option<string?>("--types", "-t") { Description = "comma-separated host key algorithms (default ed25519, ecdsa 256/384/521, rsa)" };
        var port = new Option<int?>("--port", "-p") { Description = "port for hosts without one (default 22)" };
        var timeout = new Option<int>("--timeout", "-T") { Description = "seconds per connection", DefaultValueFactory = _ => 5 };
        var hashed = new Option<bool>("--hash", "-H") { Description = "hash the host names (HashKnownHosts)" };
        var hosts = new Argument<string[]>("hosts") { Description = "host[:port]", Arity = ArgumentArity.OneOrMore };
        var command = new Command("keyscan", "Print servers' host keys as known_hosts lines.") { types, port, timeout, hashed, hosts };
        command.SetAction(async (parse, cancel) =>
        {
            IReadOnlyList<string> algorithms = parse.GetValue(types) is { } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : DefaultAlgorithms;
            int failures = 0;
            foreach (string text in parse.GetValue(hosts) ?? [])
            {
                HostTarget target;
                try
                {
                    target = HostTarget.Parse(text);
                }
                catch (FormatException ex)
                {
                    await console.Error.WriteLineAsync("rxssh keyscan: " + ex.Message);
                    failures++;
                    continue;
                }

                int targetPort = target.Port ?? parse.GetValue(port) ?? 22;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                string? lastError = null;
                foreach (string algorithm in algorithms)
                {
                    (HostKeyContext? key, string? error) = await ScanAsync(target.Host, targetPort, algorithm, TimeSpan.FromSeconds(parse.GetValue(timeout)), cancel);
                    if (key is null)
                    {
                        lastError = error;
                        continue;
                    }

                    string line = KnownHostsFile.FormatEntry(target.Host, targetPort, key.KeyType, key.Blob.Span, parse.GetValue(hashed));
                    if (seen.Add(key.KeyType + " " + Convert.ToBase64String(key.Blob.Span)))
                    {
                        await console.Out.WriteLineAsync(line);
                    }
                }

                if (seen.Count == 0)
                {
                    await console.Error.WriteLineAsync($"rxssh keyscan: {target.Label}: no host key ({lastError})");
                    failures++;
                }
            }

            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>One key exchange offering only <paramref name="algorithm"/>; the key, or why there was none.</summary>
    private static async Task<(HostKeyContext? Key, string? Error)> ScanAsync(string host, int port, string algorithm, TimeSpan timeout, CancellationToken cancel)
    {
        HostKeyContext? seen = null;
        var options = new SshClientOptions
        {
            Algorithms = SshAlgorithms.Default with { HostKey = [algorithm] },
            HostKeyVerifier = new CallbackHostKeyVerifier(context =>
            {
                seen = context;
                return false;
            }),
            UseDefaultKeys = false,
            ConnectTimeout = timeout,
            LoginTimeout = timeout,
        };
        try
        {
            await using SshClientConnection connection = await SshClient.ConnectAsync(host, port, options, cancel);
            return (seen, null);
        }
        catch (Exception ex) when (ex is SshException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return (seen, ex.Message);
        }
    }
}
