using System.CommandLine;

namespace Rx.Ssh.Cli.Hosts;

/// <summary>
/// The connection options shared by run, get, put and keyscan. Only what is given on the command
/// line is set; everything else is left to the library's defaults (and so to ~/.ssh/config and the
/// agent where the library applies them).
/// </summary>
internal sealed class ConnectArguments
{
    /// <summary><c>-u</c>.</summary>
    public Option<string?> User { get; } = new("--user", "-u") { Description = "login name (default: the host's, else the current user)" };

    /// <summary><c>-p</c>.</summary>
    public Option<int?> Port { get; } = new("--port", "-p") { Description = "port (default 22 or the host's)" };

    /// <summary><c>-i</c>.</summary>
    public Option<string[]> Identity { get; } = new("--identity", "-i") { Description = "private key file (repeatable)", AllowMultipleArgumentsPerToken = false };

    /// <summary><c>--known-hosts</c>.</summary>
    public Option<string?> KnownHosts { get; } = new("--known-hosts") { Description = "trusted host keys file (default ~/.ssh/known_hosts)" };

    /// <summary><c>--connect-timeout</c>.</summary>
    public Option<int?> ConnectTimeout { get; } = new("--connect-timeout") { Description = "seconds to wait for a connection" };

    /// <summary><c>-J</c>.</summary>
    public Option<string?> Jump { get; } = new("--jump", "-J") { Description = "jump hosts, as ssh -J: [user@]host[:port][,...] (each with these options)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(Port);
        command.Options.Add(Identity);
        command.Options.Add(KnownHosts);
        command.Options.Add(ConnectTimeout);
        command.Options.Add(Jump);
    }

    /// <summary>The client options for <paramref name="target"/>.</summary>
    public SshClientOptions ClientOptions(ParseResult parse, HostTarget target)
    {
        var options = new SshClientOptions();
        string? user = target.UserName ?? parse.GetValue(User);
        if (user is not null)
        {
            options = options with { UserName = user };
        }

        string[] keys = parse.GetValue(Identity) ?? [];
        if (keys.Length > 0)
        {
            options = options with { KeyFiles = keys };
        }

        if (parse.GetValue(KnownHosts) is { } knownHosts)
        {
            options = options with { HostKeyVerifier = new KnownHostsVerifier(knownHosts) };
        }

        if (parse.GetValue(ConnectTimeout) is { } seconds)
        {
            options = options with { ConnectTimeout = TimeSpan.FromSeconds(seconds) };
        }

        if (parse.GetValue(Jump) is { } jump)
        {
            // Hops without options of their own take these (keys, known hosts), as ssh -J does.
            options = options with { ProxyJump = SshProxyJump.Parse(jump) };
        }

        return options;
    }

    /// <summary>The port for <paramref name="target"/>: its own, else <c>-p</c>, else 22.</summary>
    public int PortFor(ParseResult parse, HostTarget target) => target.Port ?? parse.GetValue(Port) ?? 22;
}
