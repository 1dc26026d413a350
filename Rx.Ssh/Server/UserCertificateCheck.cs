using System.Net;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Server;

/// <summary>
/// How the server decides that a user certificate may log in, as sshd does with a
/// <c>cert-authority</c> line in authorized_keys: the CA signature, type, validity window (on the
/// scheduler's clock), a trusted CA line (its <c>from=</c>, <c>expiry-time=</c> and
/// <c>principals=</c>), the user name among the principals, <c>source-address</c>, and only
/// critical options the server can honour. The result merges the CA line's options with the
/// certificate's (<c>force-command</c> as <c>command=</c>, extensions as permissions).
/// </summary>
internal static class UserCertificateCheck
{
    private static readonly HashSet<string> KnownCriticalOptions = new(StringComparer.Ordinal) { "force-command", "source-address", "verify-required" };

    public static AuthorizedKeyOptions Authorize(AuthorizedKeysFile? authorizedKeys, SshAuthContext context, SshCertificate certificate, DateTimeOffset now, IReadOnlyList<SshPublicKey>? revoked = null)
    {
        foreach (SshPublicKey key in revoked ?? [])
        {
            if (key.Equals(certificate.Key) || key.Equals(certificate.SignatureKey) || key.Blob.Span.SequenceEqual(certificate.Blob.Span))
            {
                string which = key.Equals(certificate.SignatureKey) ? $"its CA {key.GetFingerprint()}" : $"its key {certificate.Key.GetFingerprint()}";
                throw new SshCertificateException(SshCertificateProblem.Revoked, $"certificate '{certificate.KeyId}' is refused: {which} is revoked on this server");
            }
        }

        certificate.Validate(SshCertificateType.User, now, principal: null);
        IPAddress? address = (context.RemoteEndPoint as IPEndPoint)?.Address;
        AuthorizedKeyEntry? authority = null;
        SshCertificateException? refusal = null;
        foreach (AuthorizedKeyEntry entry in authorizedKeys?.FindCertificateAuthorities() ?? [])
        {
            if (!entry.HasKey(certificate.SignatureKey.Blob.Span) || entry.Options.IsExpired(now))
            {
                continue;
            }

            if (entry.Options.From is not null && (address is null || !entry.MatchesSource(null, address)))
            {
                continue;
            }

            IReadOnlyList<string> allowed = entry.Options.Principals ?? [context.UserName];
            if (!certificate.Principals.Any(allowed.Contains))
            {
                string listed = certificate.Principals.Count == 0 ? "no principals" : "principals " + string.Join(", ", certificate.Principals);
                refusal = new SshCertificateException(
                    SshCertificateProblem.WrongPrincipal,
                    $"certificate '{certificate.KeyId}' lists {listed}, none of which is allowed for user '{context.UserName}' ({string.Join(", ", allowed)}); re-sign it with 'ssh-keygen -n {allowed[0]}'");
                continue;
            }

            authority = entry;
            break;
        }

        if (authority is null)
        {
            throw refusal ?? new SshCertificateException(
                SshCertificateProblem.UntrustedAuthority,
                $"certificate '{certificate.KeyId}' is signed by CA {certificate.SignatureKey.GetFingerprint()}, which no cert-authority line trusts for user '{context.UserName}'; add 'cert-authority {certificate.SignatureKey.ToOpenSshString()}' to authorized_keys");
        }

        foreach (string option in certificate.CriticalOptions.Keys)
        {
            if (!KnownCriticalOptions.Contains(option))
            {
                throw new SshCertificateException(SshCertificateProblem.UnsupportedOption, $"certificate '{certificate.KeyId}' has the critical option '{option}', which this server does not support");
            }
        }

        if (certificate.VerifyRequired)
        {
            throw new SshCertificateException(SshCertificateProblem.UnsupportedOption, $"certificate '{certificate.KeyId}' requires FIDO user verification (verify-required), which this server does not support");
        }

        certificate.ValidateSourceAddress(address);
        return Merge(authority.Options, certificate);
    }

    private static AuthorizedKeyOptions Merge(AuthorizedKeyOptions line, SshCertificate certificate)
    {
        string? command = line.Command;
        if (certificate.ForceCommand is { } forced)
        {
            if (command is not null && command != forced)
            {
                throw new SshCertificateException(SshCertificateProblem.UnsupportedOption, $"certificate '{certificate.KeyId}' forces '{forced}' but its cert-authority line forces '{command}'; make them agree");
            }

            command = forced;
        }

        return new AuthorizedKeyOptions
        {
            Command = command,
            Environment = line.Environment,
            From = line.From,
            PermitOpen = line.PermitOpen,
            PermitListen = line.PermitListen,
            Principals = line.Principals,
            ExpiryTime = line.ExpiryTime,
            Tunnel = line.Tunnel,
            CertificateAuthority = true,
            Restrict = line.Restrict,
            PermitPty = line.PermitPty && certificate.PermitPty,
            PermitPortForwarding = line.PermitPortForwarding && certificate.PermitPortForwarding,
            PermitAgentForwarding = line.PermitAgentForwarding && certificate.PermitAgentForwarding,
            PermitX11Forwarding = line.PermitX11Forwarding && certificate.PermitX11Forwarding,
            PermitUserRc = line.PermitUserRc && certificate.PermitUserRc,
            NoTouchRequired = line.NoTouchRequired,
            VerifyRequired = line.VerifyRequired,
        };
    }
}
