using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>How <see cref="SshClient"/> connects and authenticates. Immutable; use <c>with</c> to vary.</summary>
public sealed record SshClientOptions : SshConnectionOptions
{
    /// <summary>The login name; defaults to the current user.</summary>
    public string UserName { get; init; } = Environment.UserName;

    /// <summary>
    /// Keys to offer, in order, first. When it, <see cref="Signers"/> and <see cref="KeyFiles"/> are all
    /// empty, the default key files are tried (the agent's keys, <see cref="UseAgent"/>, do not count).
    /// </summary>
    public IReadOnlyList<SshPrivateKey> Keys { get; init; } = [];

    /// <summary>
    /// Signers whose private key the client does not hold (an agent, a token, a signing service),
    /// offered after <see cref="Keys"/> and before <see cref="KeyFiles"/>. Their signatures are awaited
    /// without blocking a thread, with the connect's token; a signer that throws is skipped (and its
    /// error becomes the inner exception of the <see cref="SshPermissionDeniedException"/> if the login
    /// is refused). A signer whose <see cref="ISshSigner.PublicKey"/> is a certificate is offered as
    /// that certificate. Default none.
    /// </summary>
    public IReadOnlyList<ISshSigner> Signers { get; init; } = [];

    /// <summary>
    /// OpenSSH certificates for the keys (<see cref="Keys"/>, <see cref="KeyFiles"/> or the default
    /// files): a key with a certificate is offered with its certificate first, then plain. A
    /// <c>&lt;key file&gt;-cert.pub</c> next to a key file is used without being listed here, as OpenSSH does.
    /// </summary>
    public IReadOnlyList<SshCertificate> Certificates { get; init; } = [];

    /// <summary>Private key files to load and offer, in order (with a <c>-cert.pub</c> certificate next to one, when present).</summary>
    public IReadOnlyList<string> KeyFiles { get; init; } = [];

    /// <summary>Passphrase for encrypted key files.</summary>
    public string? Passphrase { get; init; }

    /// <summary>
    /// Whether keys read from key files (<see cref="KeyFiles"/>, the default files) are kept for the
    /// process and shared by every connection naming the same unchanged file with the same passphrase,
    /// so a fleet reads and decrypts each key once (the passphrase is kept only as a digest; at most 64
    /// keys; <see cref="SshClient.ClearKeyFileCache"/> forgets them). Default true. False: each
    /// connection reads its keys and clears them from memory when it ends.
    /// </summary>
    public bool CacheKeyFiles { get; init; } = true;

    /// <summary>
    /// The most key derivation work a key file may ask for (bcrypt rounds, Argon2 memory and passes,
    /// PBKDF2 iterations, scrypt memory). A listed key file over a limit fails the connect with
    /// <see cref="SshKeyLimitException"/>; a default file over a limit is skipped. Reading keys counts
    /// against <see cref="LoginTimeout"/> and stops when it or the connect's token fires.
    /// Default <see cref="SshKeyLoadLimits.Default"/>.
    /// </summary>
    public SshKeyLoadLimits KeyLoadLimits { get; init; } = SshKeyLoadLimits.Default;

    /// <summary>
    /// Try <c>~/.ssh/id_ed25519</c>, <c>id_ecdsa</c> and <c>id_rsa</c> when no keys are given
    /// (files that do not exist are skipped; unreadable ones are reported and skipped). Default true.
    /// </summary>
    public bool UseDefaultKeys { get; init; } = true;

    /// <summary>
    /// Offer the keys of an ssh-agent (<see cref="AgentPath"/>, or <c>SSH_AUTH_SOCK</c>), as ssh does:
    /// agent keys matching a key file come first, then the agent's other keys (unless
    /// <see cref="IdentitiesOnly"/>), then the key files the agent does not hold. An agent that cannot
    /// be reached is logged and skipped. Default true (used whenever <c>SSH_AUTH_SOCK</c> is set); false
    /// is ssh's <c>IdentityAgent none</c>.
    /// </summary>
    public bool UseAgent { get; init; } = true;

    /// <summary>
    /// The ssh-agent's UNIX socket (ssh's <c>IdentityAgent</c>); null (the default) reads
    /// <c>SSH_AUTH_SOCK</c> when connecting (an empty string counts as null). Not signed with when
    /// <see cref="UseAgent"/> is false; <see cref="ForwardAgent"/> relays to it either way.
    /// </summary>
    public string? AgentPath { get; init; }

    /// <summary>
    /// Offer only the configured identities (ssh's <c>IdentitiesOnly</c>): agent keys are used only
    /// when they match one of <see cref="KeyFiles"/> (or of the default files when those are used), so
    /// an agent full of keys does not exhaust the server's <c>MaxAuthTries</c>. Default false.
    /// </summary>
    public bool IdentitiesOnly { get; init; }

    /// <summary>
    /// Forward the agent (ssh's <c>ForwardAgent yes</c>, <c>ssh -A</c>): every session (exec, shell,
    /// process) asks the server with <c>auth-agent-req@openssh.com</c>, and the agent connections the
    /// server opens back (<c>auth-agent@openssh.com</c> channels, e.g. from <c>ssh-add -l</c> or a further
    /// <c>ssh</c> on the server) are relayed to the local agent: <see cref="AgentPath"/>, else
    /// <c>SSH_AUTH_SOCK</c>. Whoever controls the server's side can then use the agent's keys while the
    /// connection lasts, so only forward to hosts you trust. Without this the client refuses agent channels.
    /// Default false.
    /// </summary>
    public bool ForwardAgent { get; init; }

    /// <summary>
    /// Password for <c>password</c> authentication, and for <c>keyboard-interactive</c> when
    /// <see cref="KeyboardInteractive"/> is not set (answered by <see cref="SshKeyboardInteractive.PasswordResponder"/>).
    /// </summary>
    public string? Password { get; init; }

    /// <summary>
    /// Answers the server's keyboard-interactive prompts (RFC 4256): called once per round with the
    /// challenge (name, instruction, prompts with their echo flags), it returns one answer per prompt,
    /// in order (none for a round without prompts, which is only informational). The server may ask
    /// several rounds. The token is the connect's (login timeout included). Null (the default): the
    /// method is tried only when <see cref="Password"/> is set, with
    /// <see cref="SshKeyboardInteractive.PasswordResponder"/>.
    /// </summary>
    public Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>>? KeyboardInteractive { get; init; }

    /// <summary>
    /// Decides whether the server's host key is trusted. Default: OpenSSH's known_hosts files
    /// (<c>~/.ssh/known_hosts</c>, <c>/etc/ssh/ssh_known_hosts</c>). Opting out is explicit:
    /// <see cref="InsecureAcceptAnyHostKey.Instance"/>. Left at this default, the <see cref="Config"/>'s
    /// UserKnownHostsFile, GlobalKnownHostsFile, StrictHostKeyChecking, CheckHostIP and HashKnownHosts
    /// choose the files and the policy (HostKeyAlias applies to any verifier).
    /// </summary>
    public IHostKeyVerifier HostKeyVerifier { get; init; } = new KnownHostsVerifier();

    /// <summary>Time allowed for the TCP connection. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed from TCP connect to authenticated (reading key files included). Default 2 minutes, as OpenSSH's LoginGraceTime.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Called as each step of connecting completes (<see cref="SshTcpConnected"/>,
    /// <see cref="SshHostKeyAccepted"/>, <see cref="SshAuthenticated"/>), synchronously on the
    /// connecting task and before the next step starts, so "connected" is seen before the login is
    /// decided. An exception it throws fails the connect. For an observable of the same events, use
    /// <see cref="SshClient.ConnectWithEvents"/>.
    /// </summary>
    public Action<SshConnectionEvent>? ConnectionEvents { get; init; }

    /// <summary>
    /// Called with each authentication banner the server sends, sanitized: line feeds, tabs and
    /// CR LF are kept, other control characters (ESC included) and Unicode format characters are
    /// shown as escapes (<c>\033</c>, <c>\u{202E}</c>), and the text is cut at 16 KiB, so it
    /// is safe to print to a terminal.
    /// </summary>
    public Action<string>? BannerReceived { get; init; }

    /// <summary>
    /// Jump hosts to go through (OpenSSH's <c>ProxyJump</c>, <c>ssh -J</c>), in order: the client logs
    /// in to the first over TCP, asks it for a <c>direct-tcpip</c> channel to the second and logs in
    /// to that over the channel, and so on; the last one opens the channel to the target. Each hop is
    /// its own SSH connection with its own host key check (under the hop's name) and options (see
    /// <see cref="SshProxyJump"/>: without options of its own, a hop uses these, as the local user).
    /// The target connection owns the hops: disposing it closes them all, and a hop whose connection
    /// ends ends the target's with <see cref="SshProxyJumpException"/>. A failure at a hop (connect,
    /// login, the channel refused or the next host unreachable) fails the connect with
    /// <see cref="SshProxyJumpException"/> naming it. The first hop honours its own options'
    /// <see cref="ProxyJump"/>/<see cref="ProxyCommand"/> (later hops and the target are reached
    /// through the previous hop). From ssh's syntax: <see cref="SshProxyJump.Parse"/>. Empty (the
    /// default): connect directly. Setting it and <see cref="ProxyCommand"/> together fails the
    /// connect with <see cref="ArgumentException"/>. Not used by <see cref="SshClient.ConnectAsync(Stream, string, int, SshClientOptions?, CancellationToken)"/>
    /// or an <see cref="SshHost.OpenStream"/>, which bring their own stream.
    /// </summary>
    public IReadOnlyList<SshProxyJump> ProxyJump { get; init; } = [];

    /// <summary>
    /// A command whose stdin and stdout carry the connection instead of a TCP socket (OpenSSH's
    /// <c>ProxyCommand</c>), run as <c>/bin/sh -c "exec command"</c> after expanding <c>%h</c> (the
    /// host), <c>%p</c> (the port), <c>%r</c> (<see cref="UserName"/>), <c>%n</c> (the host as given) and
    /// <c>%%</c>; e.g. <c>ssh -W %h:%p bastion</c>. A host or user name with shell metacharacters is
    /// refused when expanded (<see cref="ArgumentException"/>), as ssh does. The process's stderr goes
    /// to <see cref="SshConnectionOptions.Logger"/> line by line; it is killed (by its process id) when
    /// the connection ends. If it exits, or cannot start, while the connection needs it, the connection
    /// fails with <see cref="SshProxyCommandException"/> (exit code and the end of its stderr). Null
    /// (the default): connect over TCP. Unix only (it needs <c>/bin/sh</c>). Not used by
    /// <see cref="SshClient.ConnectAsync(Stream, string, int, SshClientOptions?, CancellationToken)"/>.
    /// </summary>
    public string? ProxyCommand { get; init; }

    /// <summary>
    /// The OpenSSH client configuration applied when connecting by host name
    /// (<see cref="SshClient.Connect"/>, <see cref="SshClient.ConnectAsync(string, int, SshClientOptions?, CancellationToken)"/>,
    /// <see cref="SshHost"/> without <see cref="SshHost.OpenStream"/>). Default <see cref="SshConfig.Default"/>:
    /// <c>~/.ssh/config</c> then <c>/etc/ssh/ssh_config</c>, read at each connect, as ssh does.
    /// <see cref="SshConfig.Empty"/> turns it off; <see cref="SshConfig.Load(string)"/> or
    /// <see cref="SshConfig.Parse"/> give another. The host name given is resolved through it
    /// (<c>Host</c>/<c>Match</c>) and its values fill what these options leave at their defaults: a
    /// value set in code wins, a default value (the port 22 included) is taken from the file. See the
    /// README's "OpenSSH configuration" for each keyword. Connecting over a given stream
    /// (<see cref="SshClient.ConnectAsync(Stream, string, int, SshClientOptions?, CancellationToken)"/>) does not read it.
    /// </summary>
    public SshConfig Config { get; init; } = SshConfig.Default;

    /// <summary>
    /// Environment variables sent (<c>env</c> requests) with every process started on the
    /// connection, before the process's own <see cref="SshProcessOptions.Environment"/>, which wins for
    /// a name both give. The server may refuse some (OpenSSH's AcceptEnv). Default none; filled from
    /// <c>SendEnv</c> (the local variables matching) and <c>SetEnv</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> SessionEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A pseudo-terminal requested for every process whose <see cref="SshProcessOptions.Terminal"/>
    /// is null. Default null (no pty unless a process asks); <c>RequestTTY yes</c> or <c>force</c> sets
    /// one with the local <c>TERM</c>.
    /// </summary>
    public SshTerminal? SessionTerminal { get; init; }

    /// <summary>
    /// The command run instead of a shell when a process is started without a command
    /// (<see cref="SshClientConnection.CreateProcessAsync"/> with null). Default null (a shell);
    /// from <c>RemoteCommand</c>.
    /// </summary>
    public string? RemoteCommand { get; init; }

    /// <summary>
    /// The authentication methods to try, in this order (<c>publickey</c>, <c>keyboard-interactive</c>,
    /// <c>password</c>), among those the server allows. Default null: every method there is
    /// something to try with, in the server's order. From <c>PreferredAuthentications</c>, less the
    /// ones <c>PasswordAuthentication no</c> and <c>KbdInteractiveAuthentication no</c> turn off.
    /// </summary>
    public IReadOnlyList<string>? AuthenticationMethods { get; init; }

    /// <summary>
    /// The signature algorithms offered for public key authentication (plain or certificate names,
    /// e.g. <c>ssh-ed25519</c>, <c>rsa-sha2-512</c>, <c>ssh-ed25519-cert-v01@openssh.com</c>); a key with none
    /// of them is not offered. Default null: every algorithm of the key the server accepts
    /// (<c>ssh-rsa</c> only when <see cref="SshAlgorithms.HostKey"/> lists it). From <c>PubkeyAcceptedAlgorithms</c>.
    /// </summary>
    public IReadOnlyList<string>? PublicKeyAlgorithms { get; init; }

    /// <summary>Our identification string.</summary>
    public string ClientVersion { get; init; } = "SSH-2.0-RxSsh_0.1";
}
