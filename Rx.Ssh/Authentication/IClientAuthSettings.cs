using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh.Authentication;

/// <summary>
/// What <see cref="ClientAuthenticator"/> needs from the client role: who logs in, with what, and
/// where banners go. The client adapts its options and loaded keys to it, so this layer names no
/// client type.
/// </summary>
internal interface IClientAuthSettings
{
    /// <summary>The login name.</summary>
    string UserName { get; }

    /// <summary>The password for <c>password</c> (and <c>keyboard-interactive</c> without a callback); null when none.</summary>
    string? Password { get; }

    /// <summary>The keyboard-interactive callback; null to answer with <see cref="Password"/> (when set).</summary>
    Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>>? KeyboardInteractive { get; }

    /// <summary>The signers to offer for <c>publickey</c>, in order (keys, custom signers, key files).</summary>
    IReadOnlyList<ISshSigner> Signers { get; }

    /// <summary>Certificates to offer before the plain key they certify.</summary>
    IReadOnlyList<SshCertificate> Certificates { get; }

    /// <summary>The signature algorithms our preferences allow (<c>ssh-rsa</c>, SHA-1, only when listed).</summary>
    IReadOnlyList<string> AllowedSignatureAlgorithms { get; }

    /// <summary>The methods to try, in order, among those the server allows; null: the server's order.</summary>
    IReadOnlyList<string>? PreferredMethods => null;

    /// <summary>The only signature algorithms to offer keys with (plain or certificate names); null: no restriction beyond <see cref="AllowedSignatureAlgorithms"/>.</summary>
    IReadOnlyList<string>? AcceptedPublicKeyAlgorithms => null;

    /// <summary>Receives each sanitized banner.</summary>
    void OnBanner(string banner);
}
