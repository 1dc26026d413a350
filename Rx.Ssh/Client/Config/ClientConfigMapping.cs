using Microsoft.Extensions.Logging;
using Rx.Ssh.Config;

namespace Rx.Ssh.Client.Config;

/// <summary>
/// Turns what the OpenSSH client configuration says for a host (<see cref="SshHostConfig"/>) into
/// client options. The rule: a value set in code wins; a value the code left at its default is
/// taken from the configuration. "Default" is compared with a fresh <see cref="SshClientOptions"/>
/// (the user name with the local user's, the host key verifier with an untouched
/// <see cref="KnownHostsVerifier"/>), so setting a default value in code counts as leaving it.
/// </summary>
internal static class ClientConfigMapping
{
    /// <summary>ssh's default order of the methods we implement (PreferredAuthentications less gssapi and hostbased).</summary>
    public static readonly IReadOnlyList<string> DefaultMethodOrder = ["publickey", "keyboard-interactive", "password"];

    private static readonly SshClientOptions Pristine = new() { Config = SshConfig.Empty };

    /// <summary>Whether the code left the user name at its default (the local user).</summary>
    public static bool UserNameIsDefault(SshClientOptions options) => options.UserName == Environment.UserName;

    /// <summary>The options with <paramref name="config"/>'s values filled in where <paramref name="options"/> has defaults.</summary>
    /// <exception cref="SshConfigException">A value the mapping parses (an algorithm list, RekeyLimit) is bad; the message names its file and line.</exception>
    public static SshClientOptions Apply(SshHostConfig config, SshClientOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        SshClientOptions o = options;
        if (UserNameIsDefault(o))
        {
            o = o with { UserName = config.User };
        }

        o = Identities(config, o, logger);
        o = HostKeys(config, o);
        if (o.ConnectTimeout == Pristine.ConnectTimeout && config.ConnectTimeout is { } connect && connect > TimeSpan.Zero)
        {
            o = o with { ConnectTimeout = connect };
        }

        if (o.KeepAliveInterval == Pristine.KeepAliveInterval && config.ServerAliveInterval is { } alive)
        {
            o = o with { KeepAliveInterval = alive };
        }

        if (o.KeepAliveCountMax == Pristine.KeepAliveCountMax && config.ServerAliveCountMax is { } count)
        {
            o = o with { KeepAliveCountMax = count };
        }

        o = o with { Algorithms = ConfigAlgorithms.Apply(config, o.Algorithms, logger) };
        if (o.PublicKeyAlgorithms is null && config.PubkeyAcceptedAlgorithms is { } accepted)
        {
            o = o with { PublicKeyAlgorithms = ConfigAlgorithms.PublicKey(config, accepted, logger) };
        }

        o = ConfigRekeyLimit.Apply(config, o, Pristine);
        o = Agent(config, o);
        o = Authentication(config, o);
        o = Sessions(config, o);
        return o;
    }

    /// <summary>
    /// IdentityAgent (<c>none</c>: no agent; <c>SSH_AUTH_SOCK</c>: the environment's, the default; a
    /// path, or <c>$VAR</c>: that socket), IdentitiesOnly and ForwardAgent (<c>yes</c>; ssh's path
    /// form is read as yes, with the agent of IdentityAgent), each only where the code left the default.
    /// </summary>
    private static SshClientOptions Agent(SshHostConfig config, SshClientOptions o)
    {
        if (o.UseAgent == Pristine.UseAgent && o.AgentPath is null && config.IdentityAgent is { } agent)
        {
            if (agent.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                o = o with { UseAgent = false };
            }
            else if (agent != "SSH_AUTH_SOCK")
            {
                string path = agent.StartsWith('$') ? Environment.GetEnvironmentVariable(agent[1..]) ?? string.Empty : agent;
                o = path.Length == 0 ? o with { UseAgent = false } : o with { AgentPath = path };
            }
        }

        if (!o.IdentitiesOnly && config.IdentitiesOnly == true)
        {
            o = o with { IdentitiesOnly = true };
        }

        if (!o.ForwardAgent && config.ForwardAgent is { } forward && !forward.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            o = o with { ForwardAgent = true };
        }

        return o;
    }

    private static SshClientOptions Identities(SshHostConfig config, SshClientOptions o, ILogger logger)
    {
        if (o.KeyFiles.Count == 0 && o.Keys.Count == 0 && config.IdentityFiles.Count > 0)
        {
            // As ssh: listed files that do not exist are skipped, and listing any replaces the default files.
            string[] existing = [.. config.IdentityFiles.Where(File.Exists)];
            foreach (string missing in config.IdentityFiles.Except(existing))
            {
                logger.LogDebug(SshLogEvents.Client.ConfigFileSkipped, "IdentityFile {File} does not exist; skipped", missing);
            }

            o = o with { KeyFiles = existing, UseDefaultKeys = false };
        }

        if (o.Certificates.Count == 0 && config.CertificateFiles.Count > 0)
        {
            var certificates = new List<SshCertificate>();
            for (int i = 0; i < config.CertificateFiles.Count; i++)
            {
                string path = config.CertificateFiles[i];
                if (!File.Exists(path))
                {
                    logger.LogDebug(SshLogEvents.Client.ConfigFileSkipped, "CertificateFile {File} does not exist; skipped", path);
                    continue;
                }

                try
                {
                    certificates.Add(SshCertificate.Load(path));
                }
                catch (Exception ex) when (ex is SshException or IOException or UnauthorizedAccessException or FormatException)
                {
                    throw config.Error("certificatefile", 0, $"CertificateFile {path}: {ex.Message}");
                }
            }

            o = o with { Certificates = certificates };
        }

        return o;
    }

    private static SshClientOptions HostKeys(SshHostConfig config, SshClientOptions o)
    {
        bool configured = config.UserKnownHostsFiles is not null || config.GlobalKnownHostsFiles is not null
            || config.StrictHostKeyChecking is not null || config.CheckHostIP is not null || config.HashKnownHosts is not null;
        if (configured && o.HostKeyVerifier is KnownHostsVerifier { IsDefault: true })
        {
            IEnumerable<string> user = config.UserKnownHostsFiles ?? [KnownHostsVerifier.DefaultPaths[0]];
            IEnumerable<string> global = config.GlobalKnownHostsFiles ?? [.. KnownHostsVerifier.DefaultPaths.Skip(1)];
            string[] paths = [.. user.Concat(global).Where(p => !p.Equals("none", StringComparison.OrdinalIgnoreCase))];
            SshStrictHostKeyChecking strict = config.StrictHostKeyChecking ?? SshStrictHostKeyChecking.Yes;
            o = o with
            {
                // With no file left ("none" everywhere) nothing is known; keys are added nowhere.
                HostKeyVerifier = new KnownHostsVerifier(paths.Length > 0 ? paths : ["/dev/null"])
                {
                    AddOnFirstUse = strict is SshStrictHostKeyChecking.AcceptNew or SshStrictHostKeyChecking.No,
                    ConfirmUnknownKey = strict == SshStrictHostKeyChecking.No ? (_, _, _) => ValueTask.FromResult(true) : null,
                    CheckHostIp = config.CheckHostIP ?? false,
                    HashAddedHosts = config.HashKnownHosts ?? false,
                },
            };
        }

        if (config.HostKeyAlias is { } alias)
        {
            o = o with { HostKeyVerifier = new HostKeyAliasVerifier(o.HostKeyVerifier, alias) };
        }

        return o;
    }

    private static SshClientOptions Authentication(SshHostConfig config, SshClientOptions o)
    {
        if (o.AuthenticationMethods is not null
            || (config.PreferredAuthentications is null && config.PasswordAuthentication is null && config.KbdInteractiveAuthentication is null))
        {
            return o;
        }

        IEnumerable<string> methods = config.PreferredAuthentications ?? DefaultMethodOrder;
        if (config.PasswordAuthentication == false)
        {
            methods = methods.Where(m => m != "password");
        }

        if (config.KbdInteractiveAuthentication == false)
        {
            methods = methods.Where(m => m != "keyboard-interactive");
        }

        return o with { AuthenticationMethods = [.. methods] };
    }

    private static SshClientOptions Sessions(SshHostConfig config, SshClientOptions o)
    {
        if (o.SessionEnvironment.Count == 0 && (config.SendEnv.Count > 0 || config.SetEnv.Count > 0))
        {
            Dictionary<string, string> environment = ConfigEnvironment.Collect(config.SendEnv, ConfigEnvironment.Local());
            foreach ((string name, string value) in config.SetEnv)
            {
                environment[name] = value;
            }

            o = o with { SessionEnvironment = environment };
        }

        if (o.SessionTerminal is null && config.RequestTty?.ToLowerInvariant() is "yes" or "force")
        {
            o = o with { SessionTerminal = new SshTerminal(Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term ? term : "xterm") };
        }

        if (o.RemoteCommand is null && config.RemoteCommand is { } command && !command.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            o = o with { RemoteCommand = command };
        }

        return o;
    }
}
