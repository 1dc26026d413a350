using System.Diagnostics;
using System.Globalization;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// How to run OpenSSH's <c>ssh</c> client non-interactively against a loopback server (sshd from
/// <see cref="SshdServer"/>, our own server, or for benchmarks). Immutable: vary it with
/// <c>with { ... }</c> or <see cref="WithOptions"/>.
/// <para>
/// The command line is <c>ssh -F none [Options as -o] [typed settings as -o] [fixed -o defaults] -i key -p port [Arguments] user@host command</c>.
/// <c>-F none</c> reads no config file at all (neither ~/.ssh/config nor /etc/ssh/ssh_config).
/// <see cref="Options"/> come first, and ssh keeps the first value per keyword, so an option
/// given there overrides everything else (e.g. <c>LogLevel=DEBUG1</c>).
/// </para>
/// <para>
/// ssh never prompts on a terminal: with no <see cref="Password"/> it runs with <c>BatchMode=yes</c>;
/// with one, it runs with <c>BatchMode=no</c> and every prompt goes to a generated <c>SSH_ASKPASS</c>
/// script (<c>SSH_ASKPASS_REQUIRE=force</c>) that answers with the password. Host keys are checked
/// strictly against <see cref="KnownHostsFile"/> and never learned.
/// </para>
/// <para>
/// The default log level is INFO, so negotiation failures ("Unable to negotiate ...: no matching cipher found")
/// reach <see cref="ProcessResult.Stderr"/>; without a known_hosts file ssh also warns there that it
/// added the host key (give <c>LogLevel=ERROR</c> to silence it).
/// Every run has a deadline (<see cref="Timeout"/>); on expiry ssh is killed by its PID and a
/// <see cref="TimeoutException"/> is thrown.
/// </para>
/// </summary>
public sealed record OpenSshClient
{
    /// <summary>The client program (from PATH).</summary>
    public const string SshPath = "ssh";

    /// <summary>The server's port.</summary>
    public required int Port { get; init; }

    /// <summary>The server's address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The login user; the current user by default.</summary>
    public string User { get; init; } = Environment.UserName;

    /// <summary>The private key passed with <c>-i</c> (the only identity tried); null tries no key at all (<c>IdentityFile=none</c>).</summary>
    public string? IdentityFile { get; init; }

    /// <summary>
    /// A password for password (and keyboard-interactive) authentication, given to ssh through
    /// <c>SSH_ASKPASS</c>; null runs in batch mode, where ssh asks for nothing.
    /// </summary>
    public string? Password { get; init; }

    /// <summary>With a <see cref="Password"/>: a file the askpass script appends each prompt ssh showed to (one per line); null for none.</summary>
    public string? AskpassLogFile { get; init; }

    /// <summary>The known_hosts file; null uses <c>/dev/null</c>.</summary>
    public string? KnownHostsFile { get; init; }

    /// <summary><c>StrictHostKeyChecking</c>; null means <c>yes</c> with a <see cref="KnownHostsFile"/> and <c>no</c> without.</summary>
    public string? StrictHostKeyChecking { get; init; }

    /// <summary><c>HostKeyAlgorithms</c> (entries joined with commas; OpenSSH's <c>+</c>/<c>-</c>/<c>^</c> prefixes work); null leaves ssh's default.</summary>
    public IReadOnlyList<string>? HostKeyAlgorithms { get; init; }

    /// <summary><c>Ciphers</c>; null leaves ssh's default.</summary>
    public IReadOnlyList<string>? Ciphers { get; init; }

    /// <summary><c>MACs</c>; null leaves ssh's default.</summary>
    public IReadOnlyList<string>? Macs { get; init; }

    /// <summary><c>KexAlgorithms</c>; null leaves ssh's default.</summary>
    public IReadOnlyList<string>? KexAlgorithms { get; init; }

    /// <summary><c>PreferredAuthentications</c>, e.g. <c>["password"]</c>; null leaves ssh's default order.</summary>
    public IReadOnlyList<string>? PreferredAuthentications { get; init; }

    /// <summary>
    /// Environment variables ssh sends to the server (<c>-o SetEnv=NAME=value ...</c>, one "env" request each);
    /// the server applies only those it accepts (sshd: <c>AcceptEnv</c>, see <see cref="SshdOptions.AcceptEnv"/>).
    /// Names must not contain <c>=</c> or whitespace; values must not contain double quotes.
    /// </summary>
    public IReadOnlyDictionary<string, string> SetEnv { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra <c>-o</c> options as <c>Keyword=value</c> (e.g. <c>Ciphers=aes128-ctr</c>); they win over everything else.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Raw arguments placed just before the destination (e.g. <c>-T</c>, <c>-N</c>, <c>-L</c>, <c>spec</c>, <c>-s</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Deadline for a whole run (and ssh's <c>ConnectTimeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TestTimeout.Default;

    /// <summary>A client for <paramref name="server"/> that checks its host keys strictly and logs in with <paramref name="key"/>.</summary>
    /// <param name="server">The sshd to connect to.</param>
    /// <param name="key">The user key; <see cref="TestKeys.Ed25519"/> when null.</param>
    public static OpenSshClient For(SshdServer server, TestKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new OpenSshClient
        {
            Port = server.Port,
            Host = SshdServer.Host,
            User = SshdServer.UserName,
            IdentityFile = (key ?? TestKeys.Ed25519).PrivateKeyPath,
            KnownHostsFile = server.KnownHostsPath,
        };
    }

    /// <summary>A client for any server on 127.0.0.1:<paramref name="port"/> that trusts exactly <paramref name="knownHostsFile"/>.</summary>
    /// <param name="port">The server's port.</param>
    /// <param name="knownHostsFile">A known_hosts file listing the server's host keys for <c>[127.0.0.1]:port</c> (see <see cref="TestKeys.KnownHostsText"/>).</param>
    /// <param name="user">The login user; the current user when null.</param>
    public static OpenSshClient ForPort(int port, string knownHostsFile, string? user = null) => new()
    {
        Port = port,
        KnownHostsFile = knownHostsFile,
        User = user ?? Environment.UserName,
    };

    /// <summary>This client with <paramref name="options"/> appended to <see cref="Options"/>.</summary>
    /// <param name="options">Options as <c>Keyword=value</c>.</param>
    public OpenSshClient WithOptions(params string[] options) => this with { Options = [.. Options, .. options] };

    /// <summary>The full argument list for running <paramref name="command"/> (none: a session without a command).</summary>
    /// <param name="command">The remote command line, passed as one argument.</param>
    public IReadOnlyList<string> BuildArguments(string? command) => BuildArguments(command, []);

    /// <summary>The environment variables set for the ssh process (a null value removes a variable).</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> BuildEnvironment() =>
        Password is null
            ? [new("SSH_ASKPASS", null), new("SSH_ASKPASS_REQUIRE", null), new("SSH_AUTH_SOCK", null)]
            : [.. OpenSshAskpass.Environment(Password, AskpassLogFile), new("SSH_AUTH_SOCK", null)];

    /// <summary>The process start info for running <paramref name="command"/> (stdin, stdout and stderr redirected).</summary>
    /// <param name="command">The remote command line.</param>
    public ProcessStartInfo CreateStartInfo(string? command) =>
        ProcessRunner.CreateStartInfo(SshPath, BuildArguments(command), BuildEnvironment());

    /// <summary>Runs <paramref name="command"/> with empty stdin.</summary>
    /// <param name="command">The remote command line.</param>
    /// <param name="cancellationToken">Cancels (kills ssh).</param>
    public Task<ProcessResult> RunAsync(string? command, CancellationToken cancellationToken = default) =>
        RunAsync(command, (Stream?)null, null, cancellationToken);

    /// <summary>Runs <paramref name="command"/> with <paramref name="stdin"/> as its input.</summary>
    /// <param name="command">The remote command line.</param>
    /// <param name="stdin">Bytes sent as the remote command's stdin, then EOF.</param>
    /// <param name="cancellationToken">Cancels (kills ssh).</param>
    public async Task<ProcessResult> RunAsync(string? command, byte[] stdin, CancellationToken cancellationToken = default)
    {
        using var input = new MemoryStream(stdin, writable: false);
        return await RunAsync(command, input, null, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="command"/> streaming stdin from and stdout into streams (for large
    /// transfers: e.g. a <see cref="GeneratedStream"/> in and a <see cref="Sha256Sink"/> out).
    /// </summary>
    /// <param name="command">The remote command line.</param>
    /// <param name="stdin">Read to its end as the remote stdin, then EOF; null for empty stdin.</param>
    /// <param name="stdoutSink">Receives the remote stdout; null captures it in the result.</param>
    /// <param name="cancellationToken">Cancels (kills ssh).</param>
    public Task<ProcessResult> RunAsync(string? command, Stream? stdin, Stream? stdoutSink, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(CreateStartInfo(command), stdin, stdoutSink, Timeout, cancellationToken);

    /// <summary>
    /// Starts <c>ssh -tt</c> inside a new pseudo-terminal of <paramref name="size"/> with
    /// <c>TERM=<paramref name="term"/></c>, so ssh sends a pty-req with that terminal type and size
    /// (and window-change on <see cref="PtySession.Resize"/>).
    /// </summary>
    /// <param name="command">The remote command line; null asks for the user's login shell.</param>
    /// <param name="term">The terminal type ssh reports.</param>
    /// <param name="size">The initial window size; 80x24 when null.</param>
    public PtySession StartPty(string? command = null, string term = "xterm-256color", TerminalSize? size = null) =>
        PtySession.Start(
            SshPath,
            BuildArguments(command, ["-tt"]),
            term,
            size ?? new TerminalSize(80, 24),
            BuildEnvironment());

    private List<string> BuildArguments(string? command, IReadOnlyList<string> leadingArguments)
    {
        List<string> args = ["-F", "none", .. leadingArguments];
        void Option(string option)
        {
            args.Add("-o");
            args.Add(option);
        }

        void List(string keyword, IReadOnlyList<string>? values)
        {
            if (values is not null)
            {
                Option(keyword + "=" + string.Join(',', values));
            }
        }

        foreach (string option in Options)
        {
            Option(option);
        }

        List("HostKeyAlgorithms", HostKeyAlgorithms);
        List("Ciphers", Ciphers);
        List("MACs", Macs);
        List("KexAlgorithms", KexAlgorithms);
        List("PreferredAuthentications", PreferredAuthentications);
        if (SetEnv.Count > 0)
        {
            Option("SetEnv=" + string.Join(' ', SetEnv.Select(v => RenderSetEnv(v.Key, v.Value))));
        }

        if (Password is null)
        {
            Option("BatchMode=yes");
        }
        else
        {
            Option("BatchMode=no");
            Option("NumberOfPasswordPrompts=1");
        }

        Option("StrictHostKeyChecking=" + (StrictHostKeyChecking ?? (KnownHostsFile is null ? "no" : "yes")));
        Option("UserKnownHostsFile=" + (KnownHostsFile ?? "/dev/null"));
        Option("GlobalKnownHostsFile=/dev/null");
        Option("UpdateHostKeys=no");
        Option("IdentitiesOnly=yes");
        Option("IdentityAgent=none");
        Option("ConnectTimeout=" + (int)Math.Ceiling(Timeout.TotalSeconds));
        Option("LogLevel=INFO");
        if (IdentityFile is not null)
        {
            args.Add("-i");
            args.Add(IdentityFile);
        }
        else
        {
            Option("IdentityFile=none");
        }

        args.Add("-p");
        args.Add(Port.ToString(CultureInfo.InvariantCulture));
        args.AddRange(Arguments);
        args.Add(User + "@" + Host);
        if (command is not null)
        {
            args.Add(command);
        }

        return args;
    }

    private static string RenderSetEnv(string name, string value)
    {
        if (name.Length == 0 || name.Any(c => c == '=' || char.IsWhiteSpace(c)) || value.Contains('"', StringComparison.Ordinal))
        {
            throw new ArgumentException($"SetEnv cannot carry {name}={value}.", nameof(SetEnv));
        }

        return value.Any(char.IsWhiteSpace) || value.Length == 0 ? $"{name}=\"{value}\"" : $"{name}={value}";
    }
}
