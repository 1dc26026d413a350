namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// How to run OpenSSH's <c>ssh</c> client non-interactively against a loopback server (sshd from
/// <see cref="SshdServer"/>, or later our own server, or for benchmarks). Immutable: vary it with
/// <c>with { ... }</c> or <see cref="WithOptions"/>.
/// The command line is <c>ssh -F none [Options as -o] [fixed -o defaults] -i key -p port [Arguments] user@host command</c>.
/// <see cref="Options"/> come before the fixed defaults, and ssh keeps the first value per
/// keyword, so an option given here overrides a default (e.g. <c>LogLevel=DEBUG1</c>).
/// The default log level is INFO, so negotiation failures ("Unable to negotiate ...: no matching cipher found")
/// reach <see cref="ProcessResult.Stderr"/>; without a known_hosts file ssh also warns there that it
/// added the host key (give <c>LogLevel=ERROR</c> to silence it).
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

    /// <summary>The private key passed with <c>-i</c> (the only identity tried); null passes none.</summary>
    public string? IdentityFile { get; init; }

    /// <summary>The known_hosts file; null uses <c>/dev/null</c>.</summary>
    public string? KnownHostsFile { get; init; }

    /// <summary><c>StrictHostKeyChecking</c>; null means <c>yes</c> with a <see cref="KnownHostsFile"/> and <c>no</c> without.</summary>
    public string? StrictHostKeyChecking { get; init; }

    /// <summary>Extra <c>-o</c> options as <c>Keyword=value</c> (e.g. <c>Ciphers=aes128-ctr</c>, <c>SetEnv=LANG=C.UTF-8</c>).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Raw arguments placed just before the destination (e.g. <c>-T</c>, <c>-N</c>, <c>-L</c>, <c>spec</c>, <c>-s</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Deadline for a whole run.</summary>
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

    /// <summary>This client with <paramref name="options"/> appended to <see cref="Options"/>.</summary>
    /// <param name="options">Options as <c>Keyword=value</c>.</param>
    public OpenSshClient WithOptions(params string[] options) => this with { Options = [.. Options, .. options] };

    /// <summary>The full argument list for running <paramref name="command"/> (none: a session without a command).</summary>
    /// <param name="command">The remote command line, passed as one argument.</param>
    public IReadOnlyList<string> BuildArguments(string? command)
    {
        List<string> args = ["-F", "none"];
        void Option(string option)
        {
            args.Add("-o");
            args.Add(option);
        }

        foreach (string option in Options)
        {
            Option(option);
        }

        Option("BatchMode=yes");
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

        args.Add("-p");
        args.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        args.AddRange(Arguments);
        args.Add(User + "@" + Host);
        if (command is not null)
        {
            args.Add(command);
        }

        return args;
    }

    /// <summary>Runs <paramref name="command"/> with empty stdin.</summary>
    /// <param name="command">The remote command line.</param>
    /// <param name="cancellationToken">Cancels (kills ssh).</param>
    public Task<ProcessResult> RunAsync(string? command, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(SshPath, BuildArguments(command), null, null, Timeout, cancellationToken);

    /// <summary>Runs <paramref name="command"/> with <paramref name="stdin"/> as its input.</summary>
    /// <param name="command">The remote command line.</param>
    /// <param name="stdin">Bytes sent as the remote command's stdin, then EOF.</param>
    /// <param name="cancellationToken">Cancels (kills ssh).</param>
    public Task<ProcessResult> RunAsync(string? command, byte[] stdin, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(SshPath, BuildArguments(command), stdin, Timeout, cancellationToken);

    /// <summary>Runs <paramref name="command"/> streaming stdin from and stdout into streams (for large transfers).</summary>
    /// <param name="command">The remote command line.</param>
    /// <param name="stdin">Read to its end as the remote stdin, then EOF; null for empty stdin.</param>
    /// <param name="stdoutSink">Receives the remote stdout; null captures it in the result.</param>
    /// <param name="cancellationToken">Cancels (kills ssh).</param>
    public Task<ProcessResult> RunAsync(string? command, Stream? stdin, Stream? stdoutSink, CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(SshPath, BuildArguments(command), stdin, stdoutSink, Timeout, cancellationToken);
}
