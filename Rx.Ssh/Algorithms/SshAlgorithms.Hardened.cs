namespace Rx.Ssh;

/// <summary>The hardened algorithm profile.</summary>
public sealed partial record SshAlgorithms
{
    /// <summary>
    /// A hardened profile for peers known to be modern: pick it with
    /// <c>Algorithms = SshAlgorithms.Hardened</c> on client or server options (the <c>serve</c> sample
    /// uses it unless told <c>--compatible</c>). Against <see cref="Default"/> it drops
    /// <list type="bullet">
    /// <item>key exchange on NIST curves (<c>ecdh-sha2-nistp*</c>) and 2048-bit finite-field Diffie-Hellman
    /// (<c>diffie-hellman-group14-sha256</c>): what stays is the post-quantum hybrids, curve25519, and group
    /// exchange, group16 and group18 over SHA-2;</item>
    /// <item>every MAC that is not encrypt-then-MAC, every SHA-1 MAC and every 64-bit tag
    /// (<c>umac-64*</c>): with a CTR cipher only <c>hmac-sha2-512-etm</c>, <c>hmac-sha2-256-etm</c> and
    /// <c>umac-128-etm</c> remain (AEAD ciphers need no MAC);</item>
    /// </list>
    /// and prefers ChaCha20-Poly1305 and AES-GCM to AES-CTR, and Ed25519 then RSA with SHA-2 to ECDSA for
    /// host keys and user signatures (ECDSA stays, last, so ECDSA host and user keys still work). Clients
    /// that speak none of this (Dropbear's client with an AES-CTR cipher: it has only non-EtM MACs) fail to
    /// negotiate; use <see cref="Default"/> for them. The instance is shared and immutable; adjust a copy with <c>with</c> and <see cref="Edit"/>.
    /// </summary>
    public static SshAlgorithms Hardened { get; } = new()
    {
        KeyExchange =
        [
            "mlkem768x25519-sha256",
            "sntrup761x25519-sha512",
            "sntrup761x25519-sha512@openssh.com",
            "curve25519-sha256",
            "curve25519-sha256@libssh.org",
            "diffie-hellman-group-exchange-sha256",
            "diffie-hellman-group16-sha512",
            "diffie-hellman-group18-sha512",
        ],
        HostKey =
        [
            "ssh-ed25519",
            "rsa-sha2-512",
            "rsa-sha2-256",
            "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521",
        ],
        Ciphers =
        [
            "chacha20-poly1305@openssh.com",
            "aes256-gcm@openssh.com",
            "aes128-gcm@openssh.com",
            "aes256-ctr",
            "aes192-ctr",
            "aes128-ctr",
        ],
        Macs =
        [
            "hmac-sha2-512-etm@openssh.com",
            "hmac-sha2-256-etm@openssh.com",
            "umac-128-etm@openssh.com",
        ],
        Compression = ["none"],
    };
}
