using System.Net;

namespace Rx.Ssh.Client.Config;

/// <summary>
/// <c>HostKeyAlias</c>: the verifier sees the alias instead of the host name, as ssh looks it up
/// (the bare alias, without the port, and not the address: CheckHostIP does not apply to an alias).
/// </summary>
internal sealed class HostKeyAliasVerifier(IHostKeyVerifier inner, string alias) : IHostKeyVerifier
{
    public bool WantsHostCertificates(string host, int port, IPAddress? address) => inner.WantsHostCertificates(alias, 22, null);

    public IReadOnlyList<string> KnownKeyTypes(string host, int port, IPAddress? address) => inner.KnownKeyTypes(alias, 22, null);

    public ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        HostKeyContext aliased = context.Key is { } key
            ? new HostKeyContext(alias, 22, key) { Certificate = context.Certificate }
            : new HostKeyContext(alias, 22, context.KeyType, context.Blob.Span) { Certificate = context.Certificate };
        return inner.VerifyAsync(aliased, cancellationToken);
    }
}
