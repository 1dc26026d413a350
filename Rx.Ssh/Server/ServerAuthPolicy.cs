using System.Reactive.Concurrency;
using Rx.Ssh.Authentication;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Server;

/// <summary>The server's options and a connection's handler as authentication sees them.</summary>
internal sealed class ServerAuthPolicy(SshServerOptions options, SshServerHandler handler) : IServerAuthPolicy
{
    public string? Banner => options.Banner;

    public IScheduler Scheduler => options.Scheduler;

    public int MaxAuthAttempts => options.MaxAuthAttempts;

    public TimeSpan AuthFailureDelay => options.AuthFailureDelay;

    public IReadOnlyList<string> AllowedSignatureAlgorithms => options.Algorithms.HostKey;

    public bool PasswordAuthSupported => handler.PasswordAuthSupported;

    public bool PublicKeyAuthSupported => handler.PublicKeyAuthSupported;

    public bool KeyboardInteractiveAuthSupported => handler.KeyboardInteractiveAuthSupported;

    public bool IsRevoked(SshPublicKey key) => options.RevokedKeys.Contains(key);

    public ValueTask<bool> BeginAuthAsync(string userName, CancellationToken cancellationToken) => handler.BeginAuthAsync(userName, cancellationToken);

    public ValueTask<bool> ValidatePasswordAsync(SshAuthContext context, string password, CancellationToken cancellationToken) => handler.ValidatePasswordAsync(context, password, cancellationToken);

    public async ValueTask<(bool Accepted, AuthorizedKeyEntry? Entry)> ValidatePublicKeyAsync(SshAuthContext context, SshPublicKey key, CancellationToken cancellationToken)
    {
        handler.MatchedEntry = null;
        if (!await handler.ValidatePublicKeyAsync(context, key, cancellationToken).ConfigureAwait(false))
        {
            return (false, null);
        }

        // The entry that admitted the key is decided now and carried to the login; an override
        // that accepted the key by other means still gets the options of a line listing it.
        return (true, handler.MatchedEntry is { } matched && matched.HasKey(key.Blob.Span) ? matched : handler.FindAuthorizedKey(context, key));
    }

    public ValueTask<AuthorizedKeyOptions> AuthorizeCertificateAsync(SshAuthContext context, SshCertificate certificate, CancellationToken cancellationToken) =>
        handler.AuthorizeCertificateAsync(context, certificate, cancellationToken);

    public ValueTask<SshKeyboardInteractiveChallenge?> GetKeyboardInteractiveChallengeAsync(SshAuthContext context, CancellationToken cancellationToken) =>
        handler.GetKeyboardInteractiveChallengeAsync(context, cancellationToken);

    public ValueTask<SshKeyboardInteractiveResult> ValidateKeyboardInteractiveResponseAsync(SshAuthContext context, IReadOnlyList<string> answers, CancellationToken cancellationToken) =>
        handler.ValidateKeyboardInteractiveResponseAsync(context, answers, cancellationToken);
}
