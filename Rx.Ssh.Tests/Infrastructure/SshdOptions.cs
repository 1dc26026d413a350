namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// The parts of an <c>sshd_config</c> the tests vary. Null lists leave OpenSSH's defaults; list
/// entries are joined with commas, so a single entry like <c>"+ssh-rsa"</c> or <c>"-chacha20-poly1305@openssh.com"</c>
/// uses OpenSSH's own append/remove syntax.
/// </summary>
public sealed record SshdOptions
{
    /// <summary>OpenSSH's defaults plus the fixed test settings (see <see cref="SshdConfig"/>).</summary>
    public static SshdOptions Default { get; } = new();

    /// <summary><c>KexAlgorithms</c>.</summary>
    public IReadOnlyList<string>? KexAlgorithms { get; init; }

    /// <summary><c>Ciphers</c>.</summary>
    public IReadOnlyList<string>? Ciphers { get; init; }

    /// <summary><c>MACs</c>.</summary>
    public IReadOnlyList<string>? Macs { get; init; }

    /// <summary><c>HostKeyAlgorithms</c>.</summary>
    public IReadOnlyList<string>? HostKeyAlgorithms { get; init; }

    /// <summary><c>PubkeyAcceptedAlgorithms</c>.</summary>
    public IReadOnlyList<string>? PubkeyAcceptedAlgorithms { get; init; }

    /// <summary>Which of <see cref="HostKeys"/> sshd loads (one <c>HostKey</c> line each); null means <see cref="HostKeys.Default"/>.</summary>
    public IReadOnlyList<TestKeyType>? HostKeyTypes { get; init; }

    /// <summary>The keys written to the server's authorized_keys file; null means <see cref="TestKeys.All"/>.</summary>
    public IReadOnlyList<TestKey>? AuthorizedKeys { get; init; }

    /// <summary><c>PasswordAuthentication</c>; off by default (without PAM sshd checks the shadow file).</summary>
    public bool PasswordAuthentication { get; init; }

    /// <summary>
    /// The password <see cref="SshdServer.UserName"/> logs in with (needs <see cref="PasswordAuthentication"/>);
    /// null leaves the system's (usually locked) password. sshd checks passwords against
    /// <c>/etc/shadow</c>, so when this is set <see cref="SshdServer"/> starts sshd in a private
    /// mount namespace (<c>unshare --mount</c>) where a generated shadow file is bind-mounted over
    /// <c>/etc/shadow</c>: the machine's own file is neither read nor changed. That needs root
    /// (the CI case); as any other user starting the server fails.
    /// </summary>
    public string? UserPassword { get; init; }

    /// <summary><c>AcceptEnv</c>: the variable patterns a client may set (SetEnv / "env" requests); <c>LANG LC_*</c> by default.</summary>
    public IReadOnlyList<string> AcceptEnv { get; init; } = ["LANG", "LC_*"];

    /// <summary><c>KbdInteractiveAuthentication</c>; off by default.</summary>
    public bool KbdInteractiveAuthentication { get; init; }

    /// <summary><c>AuthenticationMethods</c>, e.g. <c>"publickey,password"</c>; null leaves the default (<c>any</c>).</summary>
    public string? AuthenticationMethods { get; init; }

    /// <summary><c>MaxStartups</c>, e.g. <c>"10:30:100"</c>; null leaves the default.</summary>
    public string? MaxStartups { get; init; }

    /// <summary><c>LogLevel</c>; <c>VERBOSE</c> by default (logs accepted keys). <c>DEBUG3</c> shows everything.</summary>
    public string LogLevel { get; init; } = "VERBOSE";

    /// <summary>
    /// The command of the <c>Subsystem sftp</c> line: <c>internal-sftp</c> by default, or a program
    /// such as <see cref="SftpServerPath"/> (one process per session, which tests can observe).
    /// </summary>
    public string SftpSubsystem { get; init; } = "internal-sftp";

    /// <summary>OpenSSH's stand-alone SFTP server.</summary>
    public const string SftpServerPath = "/usr/lib/openssh/sftp-server";

    /// <summary>
    /// Raw config lines written before all others. sshd keeps the first value it reads for a
    /// keyword, so these override everything this type writes. No <c>Match</c> blocks here.
    /// </summary>
    public IReadOnlyList<string> ExtraLines { get; init; } = [];

    /// <summary>Raw config lines written last: the place for <c>Match</c> blocks.</summary>
    public IReadOnlyList<string> TrailingLines { get; init; } = [];
}
