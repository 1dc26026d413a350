namespace Rx.Ssh;

/// <summary>
/// The most work reading an encrypted private key may cost. A key file chooses its own key
/// derivation parameters, so without limits a hostile or corrupt file (bcrypt with 2^20 rounds,
/// Argon2 with 2 GiB and 1000 passes) could take hours or exhaust memory before the passphrase is
/// even checked. A file over a limit is refused with <see cref="SshKeyLimitException"/> before any
/// derivation runs. Immutable; use <c>with</c> to raise a limit for a file you trust.
/// </summary>
/// <remarks>
/// The defaults are far above what the tools write: ssh-keygen uses 16 bcrypt rounds, puttygen
/// 8 MiB of Argon2 memory and a few dozen passes at most, OpenSSL 2048 PBKDF2 iterations and
/// scrypt with 16 MiB.
/// </remarks>
public sealed record SshKeyLoadLimits
{
    /// <summary>The default limits.</summary>
    public static SshKeyLoadLimits Default { get; } = new();

    /// <summary>OpenSSH keys: the most bcrypt_pbkdf rounds. Default 1024 (ssh-keygen writes 16).</summary>
    public int MaxBcryptRounds { get; init; } = 1024;

    /// <summary>PuTTY version 3 keys: the most Argon2 memory, in KiB. Default 262144 (256 MiB; puttygen writes 8 MiB).</summary>
    public int MaxArgon2MemoryKiB { get; init; } = 256 * 1024;

    /// <summary>PuTTY version 3 keys: the most Argon2 passes. Default 64.</summary>
    public int MaxArgon2Passes { get; init; } = 64;

    /// <summary>Encrypted PKCS#8 keys: the most PBKDF2 (or PKCS#5 v1 / PKCS#12) iterations. Default 1,000,000 (OpenSSL writes 2048).</summary>
    public int MaxPbkdf2Iterations { get; init; } = 1_000_000;

    /// <summary>Encrypted PKCS#8 keys with scrypt: the most memory, 128 x N x r bytes, in KiB. Default 262144 (256 MiB; OpenSSL writes 16 MiB).</summary>
    public int MaxScryptMemoryKiB { get; init; } = 256 * 1024;

    /// <summary>Encrypted PKCS#8 keys with scrypt: the most parallel passes p. Default 16 (OpenSSL writes 1).</summary>
    public int MaxScryptParallelism { get; init; } = 16;

    /// <summary>Throws <see cref="SshKeyLimitException"/> when <paramref name="value"/> exceeds <paramref name="limit"/>.</summary>
    internal static void Check(string parameter, long value, long limit, string limitName)
    {
        if (value > limit)
        {
            throw new SshKeyLimitException(parameter, value, limit, limitName);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a limit that is not positive.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBcryptRounds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxArgon2MemoryKiB);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxArgon2Passes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPbkdf2Iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxScryptMemoryKiB);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxScryptParallelism);
    }
}
