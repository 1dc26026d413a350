using Rx.Ssh;

namespace Rx.Ssh.Samples;

/// <summary>The common command-line options of every sample (see samples.md), parsed.</summary>
internal sealed record SampleContext
{
    public string Host { get; init; } = "localhost";

    /// <summary>Every <c>--host</c> given (gather_results); empty means just <see cref="Host"/>.</summary>
    public IReadOnlyList<string> AllHosts { get; init; } = [];

    public int? Port { get; init; }

    public string? Listen { get; init; }

    public string UserName { get; init; } = Environment.UserName;

    /// <summary>
    /// <c>--known-hosts</c>; null (not given) leaves the library's default verifier (<c>~/.ssh/known_hosts</c>,
    /// <c>/etc/ssh/ssh_known_hosts</c>), which the OpenSSH configuration may change (UserKnownHostsFile, StrictHostKeyChecking).
    /// </summary>
    public string? KnownHosts { get; init; }

    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary><c>--config FILE</c> (ssh's <c>-F</c>): the OpenSSH client configuration to use; null means ssh's default files, <c>none</c> no file.</summary>
    public string? Config { get; init; }

    public string? Password { get; init; }

    /// <summary>Forwarding destination host (<c>--dest-host</c>); null means the document's (<c>www.google.com</c> for local and direct forwards, <c>localhost</c> for remote ones).</summary>
    public string? DestHost { get; init; }

    /// <summary>Forwarding destination port (<c>--dest-port</c>); null means the document's (80).</summary>
    public int? DestPort { get; init; }

    /// <summary>Port a forwarding client asks to listen on (<c>--listen-port</c>); null means the document's.</summary>
    public int? ListenPort { get; init; }

    /// <summary>The one port a forwarding server sample allows (<c>--allow-port</c>); null means the document's.</summary>
    public int? AllowPort { get; init; }

    /// <summary>redirect_input's destination file (<c>--output</c>).</summary>
    public string Output { get; init; } = "/tmp/stdout";

    /// <summary>reverse_server's commands (<c>--commands "A;;B"</c>); null means the document's three.</summary>
    public IReadOnlyList<string>? Commands { get; init; }

    /// <summary>serve: host key files (<c>--host-key</c>, repeatable); empty means <c>ssh_host_key</c>, made if missing.</summary>
    public IReadOnlyList<string> HostKeys { get; init; } = [];

    /// <summary>serve: the authorized keys file (<c>--authorized-keys</c>).</summary>
    public string? AuthorizedKeys { get; init; }

    /// <summary>File-system root of the SFTP/SCP server samples and serve (<c>--root</c>); null means the sample's default.</summary>
    public string? Root { get; init; }

    /// <summary>serve: offer <see cref="SshAlgorithms.Default"/> instead of <see cref="SshAlgorithms.Hardened"/> (<c>--compatible</c>).</summary>
    public bool Compatible { get; init; }

    public TextWriter Out { get; init; } = Console.Out;

    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>stdout as bytes, for samples that print what they receive unchanged (direct_client); null means the process's stdout.</summary>
    public Stream? OutBytes { get; init; }

    /// <summary>Cancelled when the sample should stop (Ctrl-C); server samples run until then.</summary>
    public CancellationToken Stopping { get; init; }

    /// <summary>Where server samples find the files the document names (<c>ssh_host_key</c>, ...): the current directory unless given.</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Port for client samples: 22 unless given.</summary>
    public int ClientPort => Port ?? 22;

    /// <summary>Port for server samples: 8022 unless given.</summary>
    public int ServerPort => Port ?? 8022;

    /// <summary>
    /// Client options built from the command line, as AsyncSSH's connect() arguments would be. What
    /// the command line does not give stays at the library's default, so the OpenSSH client
    /// configuration (~/.ssh/config, /etc/ssh/ssh_config) fills it, as ssh does: User, Port,
    /// HostName, IdentityFile, known hosts, algorithms, forwards... (values given here win).
    /// </summary>
    public SshClientOptions ClientOptions
    {
        get
        {
            var options = new SshClientOptions { KeyFiles = Keys, Password = Password };
            if (Config is not null)
            {
                options = options with { Config = Config == "none" ? SshConfig.Empty : SshConfig.Load(Config) };
            }

            if (UserName != Environment.UserName)
            {
                options = options with { UserName = UserName };
            }

            return KnownHosts is null ? options : options with { HostKeyVerifier = new KnownHostsVerifier(KnownHosts) };
        }
    }
}
