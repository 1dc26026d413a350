using Rx.Ssh.Authentication;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh.Client;

/// <summary>The client's options and loaded keys as authentication sees them.</summary>
internal sealed class ClientAuthSettings(SshClientOptions options, ClientKeys keys) : IClientAuthSettings
{
    public string UserName => options.UserName;

    public string? Password => options.Password;

    public Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>>? KeyboardInteractive => options.KeyboardInteractive;

    public IReadOnlyList<ISshSigner> Signers => keys.Signers;

    public IReadOnlyList<SshCertificate> Certificates => keys.Certificates;

    public IReadOnlyList<string> AllowedSignatureAlgorithms => options.Algorithms.HostKey;

    public IReadOnlyList<string>? PreferredMethods => options.AuthenticationMethods;

    public IReadOnlyList<string>? AcceptedPublicKeyAlgorithms => options.PublicKeyAlgorithms;

    public void OnBanner(string banner) => options.BannerReceived?.Invoke(banner);
}
