using System.Reactive.Concurrency;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Authentication;

/// <summary>
/// What <see cref="ServerAuthenticator"/> needs from the server role: its limits and every
/// decision. The server adapts its options and handler to it, so this layer names no server type.
/// </summary>
internal interface IServerAuthPolicy
{
    /// <summary>The banner sent before authentication; null or empty for none.</summary>
    string? Banner { get; }

    /// <summary>The clock failure delays and expiry checks run on.</summary>
    IScheduler Scheduler { get; }

    /// <summary>Counted failures after which the connection ends.</summary>
    int MaxAuthAttempts { get; }

    /// <summary>The base of the per-user failure answer time (<see cref="FailureTiming"/>).</summary>
    TimeSpan AuthFailureDelay { get; }

    /// <summary>The public key signature algorithms accepted (the algorithm preferences' host key list).</summary>
    IReadOnlyList<string> AllowedSignatureAlgorithms { get; }

    /// <summary>Whether the key is revoked (refused before any other check).</summary>
    bool IsRevoked(SshPublicKey key);

    /// <summary>Whether the <c>password</c> method is offered.</summary>
    bool PasswordAuthSupported { get; }

    /// <summary>Whether the <c>publickey</c> method is offered.</summary>
    bool PublicKeyAuthSupported { get; }

    /// <summary>Whether the <c>keyboard-interactive</c> method is offered.</summary>
    bool KeyboardInteractiveAuthSupported { get; }

    /// <summary>Starts authentication for a (new) user name; false when the user needs none.</summary>
    ValueTask<bool> BeginAuthAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Checks a password.</summary>
    ValueTask<bool> ValidatePasswordAsync(SshAuthContext context, string password, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="key"/> may log in, and the authorized_keys entry that admitted it (its
    /// options are the ones enforced), decided once here and carried to the login.
    /// </summary>
    ValueTask<(bool Accepted, AuthorizedKeyEntry? Entry)> ValidatePublicKeyAsync(SshAuthContext context, SshPublicKey key, CancellationToken cancellationToken);

    /// <summary>The options a user certificate logs in with.</summary>
    /// <exception cref="SshCertificateException">The certificate is refused.</exception>
    ValueTask<AuthorizedKeyOptions> AuthorizeCertificateAsync(SshAuthContext context, SshCertificate certificate, CancellationToken cancellationToken);

    /// <summary>The first keyboard-interactive challenge; null to fail the method.</summary>
    ValueTask<SshKeyboardInteractiveChallenge?> GetKeyboardInteractiveChallengeAsync(SshAuthContext context, CancellationToken cancellationToken);

    /// <summary>Checks keyboard-interactive answers; the result may carry a next challenge.</summary>
    ValueTask<SshKeyboardInteractiveResult> ValidateKeyboardInteractiveResponseAsync(SshAuthContext context, IReadOnlyList<string> answers, CancellationToken cancellationToken);
}
