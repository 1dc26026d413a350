namespace Rx.Ssh;

/// <summary>The Argon2 variant a PuTTY PPK version 3 file derives its keys with.</summary>
public enum PuttyKeyDerivation
{
    /// <summary>Argon2id (PuTTY's default).</summary>
    Argon2id,

    /// <summary>Argon2i.</summary>
    Argon2i,

    /// <summary>Argon2d.</summary>
    Argon2d,
}

/// <summary>How <see cref="SshPrivateKey.ToPuttyPrivateKey"/> writes a PuTTY <c>.ppk</c> file.</summary>
public sealed class PuttyKeyFileOptions
{
    /// <summary>
    /// The PPK format version: 3 (PuTTY 0.75 and later; Argon2 key derivation, HMAC-SHA-256) or
    /// 2 (older PuTTY; SHA-1 key derivation, HMAC-SHA-1). Default 3.
    /// </summary>
    public int Version { get; init; } = 3;

    /// <summary>Version 3, encrypted: the Argon2 variant. Default Argon2id.</summary>
    public PuttyKeyDerivation KeyDerivation { get; init; } = PuttyKeyDerivation.Argon2id;

    /// <summary>Version 3, encrypted: Argon2 memory in KiB. Default 8192, as PuTTY.</summary>
    public int Argon2MemoryKiB { get; init; } = 8192;

    /// <summary>Version 3, encrypted: Argon2 passes. Default 13.</summary>
    public int Argon2Passes { get; init; } = 13;

    /// <summary>Version 3, encrypted: Argon2 lanes. Default 1, as PuTTY.</summary>
    public int Argon2Parallelism { get; init; } = 1;

    internal void Validate()
    {
        if (Version is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(Version), Version, "PuTTY key files are version 2 or 3");
        }

        if (!Enum.IsDefined(KeyDerivation))
        {
            throw new ArgumentOutOfRangeException(nameof(KeyDerivation), KeyDerivation, "unknown Argon2 variant");
        }

        if (Argon2Parallelism is < 1 or > Rx.Ssh.Keys.Formats.PuttyKeyDerivationFunctions.MaxParallelism)
        {
            throw new ArgumentOutOfRangeException(nameof(Argon2Parallelism), Argon2Parallelism, $"Argon2 parallelism must be 1 to {Rx.Ssh.Keys.Formats.PuttyKeyDerivationFunctions.MaxParallelism}");
        }

        if (Argon2MemoryKiB < 8 * Argon2Parallelism || Argon2MemoryKiB > Rx.Ssh.Keys.Formats.PuttyKeyDerivationFunctions.MaxMemoryKiB)
        {
            throw new ArgumentOutOfRangeException(nameof(Argon2MemoryKiB), Argon2MemoryKiB, $"Argon2 memory must be 8 x parallelism to {Rx.Ssh.Keys.Formats.PuttyKeyDerivationFunctions.MaxMemoryKiB} KiB");
        }

        if (Argon2Passes is < 1 or > Rx.Ssh.Keys.Formats.PuttyKeyDerivationFunctions.MaxPasses)
        {
            throw new ArgumentOutOfRangeException(nameof(Argon2Passes), Argon2Passes, $"Argon2 passes must be 1 to {Rx.Ssh.Keys.Formats.PuttyKeyDerivationFunctions.MaxPasses}");
        }
    }
}
