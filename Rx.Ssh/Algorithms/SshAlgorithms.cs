namespace Rx.Ssh;

/// <summary>
/// The algorithms a connection offers, in preference order, per kind. Start from
/// <see cref="Default"/> and edit with OpenSSH-style lists: <c>"+name"</c> appends,
/// <c>"-name"</c> removes, <c>"^name"</c> prepends; a plain list replaces.
/// </summary>
public sealed partial record SshAlgorithms
{
    /// <summary>
    /// Secure modern defaults, compatible with OpenSSH's: strict kex, no SHA-1 key exchange or signatures, no CBC,
    /// no legacy DH; MACs as OpenSSH orders them. <see cref="Hardened"/> is the stricter profile.
    /// </summary>
    public static SshAlgorithms Default { get; } = new();

    /// <summary>
    /// Key exchange methods: post-quantum hybrids first, then elliptic curves, then finite-field
    /// Diffie-Hellman. Implemented but off by default (SHA-1 or 1024-bit groups):
    /// <c>diffie-hellman-group14-sha1</c>, <c>diffie-hellman-group1-sha1</c>,
    /// <c>diffie-hellman-group-exchange-sha1</c>; enable them with <see cref="Edit"/> (<c>"+name"</c>).
    /// </summary>
    public IReadOnlyList<string> KeyExchange { get; init; } =
    [
        "mlkem768x25519-sha256",
        "sntrup761x25519-sha512",
        "sntrup761x25519-sha512@openssh.com",
        "curve25519-sha256",
        "curve25519-sha256@libssh.org",
        "ecdh-sha2-nistp256",
        "ecdh-sha2-nistp384",
        "ecdh-sha2-nistp521",
        "diffie-hellman-group-exchange-sha256",
        "diffie-hellman-group16-sha512",
        "diffie-hellman-group18-sha512",
        "diffie-hellman-group14-sha256",
    ];

    /// <summary>Host key signature algorithms.</summary>
    public IReadOnlyList<string> HostKey { get; init; } =
    [
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "rsa-sha2-512",
        "rsa-sha2-256",
    ];

    /// <summary>
    /// Ciphers (both directions). Implemented but off by default: <c>aes128-cbc</c>,
    /// <c>aes192-cbc</c>, <c>aes256-cbc</c> and <c>3des-cbc</c>; enable them with <see cref="Edit"/>.
    /// </summary>
    public IReadOnlyList<string> Ciphers { get; init; } =
    [
        "aes128-gcm@openssh.com",
        "aes256-gcm@openssh.com",
        "chacha20-poly1305@openssh.com",
        "aes128-ctr",
        "aes192-ctr",
        "aes256-ctr",
    ];

    /// <summary>
    /// MACs (both directions; unused with AEAD ciphers), in OpenSSH's order: encrypt-then-MAC
    /// forms first, UMAC before HMAC. Implemented but off by default:
    /// <c>hmac-md5</c>, <c>hmac-md5-96</c>, <c>hmac-sha1-96</c> and their <c>-etm@openssh.com</c> forms.
    /// </summary>
    public IReadOnlyList<string> Macs { get; init; } =
    [
        "umac-64-etm@openssh.com",
        "umac-128-etm@openssh.com",
        "hmac-sha2-256-etm@openssh.com",
        "hmac-sha2-512-etm@openssh.com",
        "hmac-sha1-etm@openssh.com",
        "umac-64@openssh.com",
        "umac-128@openssh.com",
        "hmac-sha2-256",
        "hmac-sha2-512",
        "hmac-sha1",
    ];

    /// <summary>Compression methods.</summary>
    public IReadOnlyList<string> Compression { get; init; } = ["none"];

    /// <summary>
    /// Applies an OpenSSH-style edit to <paramref name="current"/>: <c>+a,b</c> appends,
    /// <c>-a,b</c> removes (wildcards <c>*</c> and <c>?</c> allowed), <c>^a,b</c> prepends,
    /// anything else replaces.
    /// </summary>
    public static IReadOnlyList<string> Edit(IReadOnlyList<string> current, string edit)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(edit);
        if (edit.Length == 0)
        {
            return current;
        }

        char op = edit[0];
        string[] names = (op is '+' or '-' or '^' ? edit[1..] : edit).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return op switch
        {
            '+' => [.. current, .. names.Where(n => !current.Contains(n))],
            '^' => [.. names, .. current.Where(n => !names.Contains(n))],
            '-' => [.. current.Where(n => !names.Any(p => Algorithms.NamePattern.IsMatch(n, p)))],
            _ => names,
        };
    }
}
