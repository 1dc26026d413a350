using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Rx.Ssh.Algorithms.Native;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// How PuTTY key files turn a passphrase into keys.
/// Version 2: AES key = first 32 bytes of SHA-1(uint32 0 || passphrase) || SHA-1(uint32 1 || passphrase),
/// IV all zero; MAC key = SHA-1("putty-private-key-file-mac-key" || passphrase) (empty passphrase when
/// unencrypted). Version 3: Argon2 (version 0x13, no secret or associated data) of the passphrase and
/// the file's salt gives 80 bytes: AES key (32), IV (16), MAC key (32); unencrypted files use an
/// empty MAC key.
/// </summary>
internal static class PuttyKeyDerivationFunctions
{
    public const int MaxMemoryKiB = 1 << 21;
    public const int MaxPasses = 1000;
    public const int MaxParallelism = 64;
    public const int CipherKeyLength = 32;
    public const int IvLength = 16;
    public const int V3MacKeyLength = 32;

    /// <summary>Version 2: the AES-256 key (the IV is zero).</summary>
    public static byte[] V2CipherKey(string passphrase)
    {
        byte[] password = Encoding.UTF8.GetBytes(passphrase);
        byte[] input = new byte[4 + password.Length];
        byte[] both = new byte[40];
        try
        {
            password.CopyTo(input, 4);
#pragma warning disable CA5350 // SHA-1 is what the PPK v2 format specifies.
            SHA1.HashData(input, both.AsSpan(0, 20));
            input[3] = 1;
            SHA1.HashData(input, both.AsSpan(20, 20));
#pragma warning restore CA5350
            return both[..CipherKeyLength];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(both);
        }
    }

    /// <summary>Version 2: the HMAC-SHA1 key (pass an empty passphrase for unencrypted files).</summary>
    public static byte[] V2MacKey(string passphrase)
    {
        byte[] input = Encoding.UTF8.GetBytes("putty-private-key-file-mac-key" + passphrase);
        try
        {
#pragma warning disable CA5350 // SHA-1 is what the PPK v2 format specifies.
            return SHA1.HashData(input);
#pragma warning restore CA5350
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>
    /// Version 3: 80 bytes of Argon2 output (AES key, IV, MAC key). PuTTY's usual parameters (one lane,
    /// 16-byte salt, Argon2id or Argon2i) run in native libsodium, over ten times faster than the
    /// managed BouncyCastle generator that handles the rest (Argon2d, several lanes, other salts).
    /// </summary>
    public static byte[] V3Keys(string passphrase, PuttyKeyDerivation variant, int memoryKiB, int passes, int parallelism, byte[] salt)
    {
        byte[]? fast = TryLibsodium(passphrase, variant, memoryKiB, passes, parallelism, salt);
        return fast ?? V3KeysManaged(passphrase, variant, memoryKiB, passes, parallelism, salt);
    }

    /// <summary>Argon2 by libsodium when it can take these parameters; null otherwise.</summary>
    internal static unsafe byte[]? TryLibsodium(string passphrase, PuttyKeyDerivation variant, int memoryKiB, int passes, int parallelism, byte[] salt)
    {
        // libsodium: one lane, fixed salt size, no Argon2d, Argon2i needs 3 passes or more.
        if (variant == PuttyKeyDerivation.Argon2d || parallelism != 1 || salt.Length != Libsodium.PwhashSaltBytes
            || (variant == PuttyKeyDerivation.Argon2i && passes < 3) || !Libsodium.IsAvailable)
        {
            return null;
        }

        int algorithm = variant == PuttyKeyDerivation.Argon2i ? Libsodium.PwhashArgon2i13 : Libsodium.PwhashArgon2id13;
        byte[] password = Encoding.UTF8.GetBytes(passphrase);
        byte[] output = new byte[CipherKeyLength + IvLength + V3MacKeyLength];
        try
        {
            fixed (byte* o = output, p = password, s = salt)
            {
                int result = Libsodium.crypto_pwhash(
                    o, (ulong)output.Length, p, (ulong)password.Length, s, (ulong)passes, (nuint)memoryKiB * 1024, algorithm);
                return result == 0 ? output : null;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>Argon2 by BouncyCastle's managed generator (every variant and lane count).</summary>
    internal static byte[] V3KeysManaged(string passphrase, PuttyKeyDerivation variant, int memoryKiB, int passes, int parallelism, byte[] salt)
    {
        int type = variant switch
        {
            PuttyKeyDerivation.Argon2d => Argon2Parameters.Argon2d,
            PuttyKeyDerivation.Argon2i => Argon2Parameters.Argon2i,
            _ => Argon2Parameters.Argon2id,
        };
        Argon2Parameters parameters = new Argon2Parameters.Builder(type)
            .WithVersion(Argon2Parameters.Version13)
            .WithMemoryAsKB(memoryKiB)
            .WithIterations(passes)
            .WithParallelism(parallelism)
            .WithSalt(salt)
            .Build();
        var generator = new Argon2BytesGenerator();
        generator.Init(parameters);
        byte[] password = Encoding.UTF8.GetBytes(passphrase);
        byte[] output = new byte[CipherKeyLength + IvLength + V3MacKeyLength];
        try
        {
            generator.GenerateBytes(password, output);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }
}
