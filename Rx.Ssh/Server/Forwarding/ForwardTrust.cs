using Rx.Ssh.Trust;

namespace Rx.Ssh.Server.Forwarding;

/// <summary>
/// The authorized_keys and certificate limits on forwarding, applied before the application's
/// policy is asked: <c>no-port-forwarding</c> and <c>restrict</c> (and a certificate without
/// <c>permit-port-forwarding</c>, merged into the same flag) forbid every kind, TCP and UNIX socket;
/// <c>permitopen=</c> limits direct TCP destinations and <c>permitlisten=</c> TCP listen addresses
/// (host compared as the client sent it, no name resolution; a <c>permitlisten</c> value without a
/// host allows only <c>localhost</c>, the address OpenSSH's <c>ssh -R port:...</c> sends, as sshd does). Logins without key options (password,
/// keyboard-interactive) have no such limits.
/// </summary>
internal static class ForwardTrust
{
    /// <summary>Null when allowed, else the refusal text.</summary>
    public static string? CheckDirect(AuthorizedKeyOptions? options, SshDirectForwardRequest request)
    {
        if (options is null)
        {
            return null;
        }

        if (!options.PermitPortForwarding)
        {
            return Disabled;
        }

        if (!request.IsStreamLocal && options.PermitOpen.Count > 0 && !options.PermitOpen.Any(p => p.Allows(request.Host, request.Port)))
        {
            return $"Forwarding to {request} is not permitted by the key's permitopen option.";
        }

        return null;
    }

    /// <summary>Null when allowed, else the reason (logged; a global request failure carries no text).</summary>
    public static string? CheckListen(AuthorizedKeyOptions? options, SshListenRequest request)
    {
        if (options is null)
        {
            return null;
        }

        if (!options.PermitPortForwarding)
        {
            return Disabled;
        }

        if (!request.IsStreamLocal && options.PermitListen.Count > 0 && !options.PermitListen.Any(p => ListenAllows(p, request)))
        {
            return $"Listening on {request} is not permitted by the key's permitlisten option.";
        }

        return null;
    }

    private static bool ListenAllows(ForwardPermission permission, SshListenRequest request) =>
        permission.Host is null
            ? request.Host == "localhost" && (permission.Port is null || permission.Port == request.Port)
            : permission.Allows(request.Host, request.Port);

    private const string Disabled = "Port forwarding is disabled for this key (no-port-forwarding or restrict).";
}
