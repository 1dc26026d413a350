using System.Net;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Server;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>
/// The server's per-connection callbacks (AsyncSSH's <c>SSHServer</c>): connection made/lost,
/// begin auth, password / public key / keyboard-interactive validation, and the session handler
/// for each session channel. One instance per connection, made by
/// <see cref="SshServerOptions.HandlerFactory"/>. The base implementation follows the delegates of
/// <see cref="SshServerOptions"/>, so overriding one callback keeps the others working.
/// Callbacks run one at a time: the connection's up to authentication on its own task, then
/// <see cref="SessionRequested"/> on the thread pool (never on the connection's dispatch loop).
/// </summary>
public class SshServerHandler
{
    private SshServerOptions? _options;

    /// <summary>The options of the server this connection belongs to.</summary>
    protected SshServerOptions Options => _options ?? throw new InvalidOperationException("The handler is not attached to a server yet.");

    /// <summary>
    /// Keys accepted for the user being authenticated; <see cref="BeginAuthAsync"/> sets it from
    /// <see cref="SshServerOptions.AuthorizedKeys"/>, an override may set it itself
    /// (as AsyncSSH's <c>set_authorized_keys</c>).
    /// </summary>
    public AuthorizedKeysFile? AuthorizedKeys { get; set; }

    /// <summary>The client's address, once the connection is made.</summary>
    public EndPoint? RemoteEndPoint { get; private set; }

    internal void Attach(SshServerOptions options, EndPoint? remote)
    {
        _options = options;
        RemoteEndPoint = remote;
    }

    /// <summary>A client connected (before key exchange).</summary>
    public virtual void ConnectionMade(EndPoint? remoteEndPoint)
    {
    }

    /// <summary>The connection ended: <paramref name="error"/> is null for a clean close.</summary>
    public virtual void ConnectionLost(Exception? error)
    {
    }

    /// <summary>The client authenticated; the connection is ready for channels.</summary>
    public virtual void Authenticated(SshServerConnection connection)
    {
    }

    /// <summary>
    /// Called when a user name is first seen; returns whether authentication is required. The
    /// default loads <see cref="AuthorizedKeys"/> for the user (a file that cannot be read, or is
    /// refused with a <see cref="SshTrustFileException"/>, admits no key and is logged) and asks
    /// <see cref="SshServerOptions.AuthenticationRequired"/> (default: required). The library has
    /// already refused malformed names: longer than 256 bytes, empty, <c>.</c>, <c>..</c>, or holding
    /// <c>/</c>, <c>\</c>, NUL or control characters never reach this callback.
    /// </summary>
    /// <param name="userName">The user name.</param>
    /// <param name="cancellationToken">Cancelled when the attempt is abandoned (the connection ends, the login grace runs out).</param>
    public virtual ValueTask<bool> BeginAuthAsync(string userName, CancellationToken cancellationToken)
    {
        try
        {
            AuthorizedKeys = Options.AuthorizedKeys?.Invoke(userName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AuthorizedKeys = null;
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(Options.Logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, e, "Cannot read the authorized keys of {User}", userName);
        }

        return ValueTask.FromResult(Options.AuthenticationRequired?.Invoke(userName) ?? true);
    }

    /// <summary>Whether the <c>password</c> method is offered.</summary>
    public virtual bool PasswordAuthSupported => Options.PasswordValidator is not null;

    /// <summary>Checks a password. Default: <see cref="SshServerOptions.PasswordValidator"/>.</summary>
    /// <param name="context">Who is authenticating.</param>
    /// <param name="password">The password.</param>
    /// <param name="cancellationToken">Cancelled when the attempt is abandoned (also <see cref="SshAuthContext.CancellationToken"/>).</param>
    public virtual ValueTask<bool> ValidatePasswordAsync(SshAuthContext context, string password, CancellationToken cancellationToken) =>
        Options.PasswordValidator is { } validate ? validate(context, password) : ValueTask.FromResult(false);

    /// <summary>Whether the <c>publickey</c> method is offered.</summary>
    public virtual bool PublicKeyAuthSupported => Options.PublicKeyValidator is not null || Options.AuthorizedKeys is not null || AuthorizedKeys is not null;

    /// <summary>
    /// Whether <paramref name="key"/> may log in as the user (asked for queries and for signed
    /// requests; the signature is checked by the library). Default: <see cref="AuthorizedKeys"/>
    /// (honouring <c>from=</c> and <c>expiry-time=</c>), then <see cref="SshServerOptions.PublicKeyValidator"/>.
    /// </summary>
    /// <param name="context">Who is authenticating.</param>
    /// <param name="key">The key offered.</param>
    /// <param name="cancellationToken">Cancelled when the attempt is abandoned (also <see cref="SshAuthContext.CancellationToken"/>).</param>
    public virtual async ValueTask<bool> ValidatePublicKeyAsync(SshAuthContext context, SshPublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        if (FindAuthorizedKey(context, key) is { } entry)
        {
            MatchedEntry = entry;
            return true;
        }

        return Options.PublicKeyValidator is { } validate && await validate(context, key).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides whether a user certificate (its signature by the client already checked) may log in,
    /// and returns the options that then apply. Default: the certificate must verify, be a user
    /// certificate valid now (on <see cref="SshConnectionOptions.Scheduler"/>), be signed by a
    /// <c>cert-authority</c> key in <see cref="AuthorizedKeys"/> (honouring its <c>from=</c>,
    /// <c>expiry-time=</c> and <c>principals=</c>; without <c>principals=</c> the user name must be a
    /// principal), come from its <c>source-address</c>, and carry no <c>verify-required</c> or unknown
    /// critical option. The result merges the line's options with the certificate's
    /// <c>force-command</c> and extensions (<c>permit-pty</c>...).
    /// </summary>
    /// <exception cref="SshCertificateException">The certificate is refused; the message (logged by the server) says why.</exception>
    /// <param name="context">Who is authenticating.</param>
    /// <param name="certificate">The certificate offered.</param>
    /// <param name="cancellationToken">Cancelled when the attempt is abandoned (also <see cref="SshAuthContext.CancellationToken"/>).</param>
    public virtual ValueTask<AuthorizedKeyOptions> AuthorizeCertificateAsync(SshAuthContext context, SshCertificate certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(certificate);
        return ValueTask.FromResult(UserCertificateCheck.Authorize(AuthorizedKeys, context, certificate, Options.Scheduler.Now, Options.RevokedKeys));
    }

    /// <summary>
    /// The entry the default <see cref="ValidatePublicKeyAsync"/> admitted a key with: the server
    /// carries it from the validation to the login (its options are the ones enforced), instead of
    /// looking the key up again after the signature check.
    /// </summary>
    internal AuthorizedKeyEntry? MatchedEntry { get; set; }

    /// <summary>The authorized_keys entry that admits <paramref name="key"/> for this client, if any.</summary>
    public AuthorizedKeyEntry? FindAuthorizedKey(SshAuthContext context, SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        if (AuthorizedKeys is null)
        {
            return null;
        }

        DateTimeOffset now = Options.Scheduler.Now;
        IPAddress? address = (context.RemoteEndPoint as IPEndPoint)?.Address;
        foreach (AuthorizedKeyEntry entry in AuthorizedKeys.Find(key))
        {
            if (entry.IsCertificateAuthority || entry.Options.IsExpired(now))
            {
                continue;
            }

            if (entry.Options.From is not null && (address is null || !entry.MatchesSource(null, address)))
            {
                continue;
            }

            return entry;
        }

        return null;
    }

    /// <summary>
    /// Whether <c>keyboard-interactive</c> is offered. Default: when a challenge callback is set,
    /// or when passwords are checked (a single <c>Password:</c> prompt, as sshd does with PAM).
    /// </summary>
    public virtual bool KeyboardInteractiveAuthSupported => Options.KeyboardInteractiveChallenge is not null || Options.PasswordValidator is not null;

    /// <summary>The first challenge for the user, or null to refuse the method.</summary>
    /// <param name="context">Who is authenticating.</param>
    /// <param name="cancellationToken">Cancelled when the attempt is abandoned (also <see cref="SshAuthContext.CancellationToken"/>).</param>
    public virtual ValueTask<SshKeyboardInteractiveChallenge?> GetKeyboardInteractiveChallengeAsync(SshAuthContext context, CancellationToken cancellationToken)
    {
        if (Options.KeyboardInteractiveChallenge is { } challenge)
        {
            return challenge(context);
        }

        return ValueTask.FromResult<SshKeyboardInteractiveChallenge?>(
            Options.PasswordValidator is null ? null : new SshKeyboardInteractiveChallenge(string.Empty, string.Empty, [new SshPrompt("Password: ")]));
    }

    /// <summary>Checks the answers to the last challenge.</summary>
    /// <param name="context">Who is authenticating.</param>
    /// <param name="answers">The answers, one per prompt.</param>
    /// <param name="cancellationToken">Cancelled when the attempt is abandoned (also <see cref="SshAuthContext.CancellationToken"/>).</param>
    public virtual async ValueTask<SshKeyboardInteractiveResult> ValidateKeyboardInteractiveResponseAsync(SshAuthContext context, IReadOnlyList<string> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        if (Options.KeyboardInteractiveValidator is { } validate)
        {
            return await validate(context, answers).ConfigureAwait(false);
        }

        return answers.Count == 1 && await ValidatePasswordAsync(context, answers[0], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A session channel was requested: returns its handler, or null to refuse the channel.
    /// The default serves sessions with <see cref="SshServerOptions.ProcessHandler"/> when one is set;
    /// without one but with <see cref="SshServerOptions.Subsystems"/>, with a session that runs only
    /// those subsystems (shell and exec are refused); otherwise it refuses.
    /// Runs on the thread pool, one call at a time in the order the client opened the channels, so
    /// a slow decision delays later session opens but no other channel's data nor keepalive replies;
    /// a session being decided already counts toward <see cref="SshServerOptions.MaxSessions"/>.
    /// </summary>
    public virtual SshServerSession? SessionRequested(SshServerConnection connection) =>
        Options.ProcessHandler is { } handler ? new Server.ProcessSession(handler)
        : Options.Subsystems is { Count: > 0 } ? new Server.SubsystemOnlySession()
        : null;

    /// <summary>
    /// A client asked the server to connect somewhere (<c>direct-tcpip</c>: <c>ssh -L</c>, <c>ssh -W</c>;
    /// <c>direct-streamlocal@openssh.com</c>): returns whether to connect (<see cref="SshForwardDecision.Allow"/>),
    /// serve it in process (<see cref="SshForwardDecision.Handle"/>) or refuse it
    /// (<see cref="SshForwardDecision.Refuse"/>). Default: <see cref="SshServerOptions.DirectForwardPolicy"/>,
    /// and without one, refused with ADMINISTRATIVELY_PROHIBITED. Only requests the key's
    /// authorized_keys options and certificate permit get here, and only within
    /// <see cref="SshServerOptions.MaxForwardedChannels"/>. Runs on the thread pool, concurrently for
    /// concurrent requests; the channel stays pending until it returns. A callback that throws refuses the channel.
    /// </summary>
    /// <param name="request">The destination and originator the client gave.</param>
    /// <param name="cancellationToken">Cancelled when the connection ends (also <see cref="SshDirectForwardRequest.CancellationToken"/>).</param>
    public virtual ValueTask<SshForwardDecision> DirectForwardRequestedAsync(SshDirectForwardRequest request, CancellationToken cancellationToken) =>
        Options.DirectForwardPolicy is { } policy
            ? policy(request)
            : ValueTask.FromResult(SshForwardDecision.Refuse(ChannelOpenFailureReason.AdministrativelyProhibited, "Port forwarding is not allowed."));

    /// <summary>
    /// A client asked the server to listen for it (<c>tcpip-forward</c>: <c>ssh -R</c>;
    /// <c>streamlocal-forward@openssh.com</c>): returns whether to. When true the server binds (see
    /// <see cref="SshListenRequest"/> for bind addresses), answers with the port it bound when the
    /// client asked for port 0, and opens a <c>forwarded-tcpip</c> (or <c>forwarded-streamlocal@openssh.com</c>)
    /// channel to the client for each connection it accepts, until the client cancels or disconnects.
    /// Default: <see cref="SshServerOptions.ListenPolicy"/>, and without one, refused. Only requests
    /// the key's options permit get here; a refusal is a plain request failure (no text travels back).
    /// Runs on the thread pool; replies go out in request order.
    /// </summary>
    /// <param name="request">The bind address and port, or the socket path.</param>
    /// <param name="cancellationToken">Cancelled when the connection ends (also <see cref="SshListenRequest.CancellationToken"/>).</param>
    public virtual ValueTask<bool> ListenRequestedAsync(SshListenRequest request, CancellationToken cancellationToken) =>
        Options.ListenPolicy is { } policy ? policy(request) : ValueTask.FromResult(false);
}
