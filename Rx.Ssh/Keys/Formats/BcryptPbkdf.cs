using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// OpenBSD's <c>bcrypt_pbkdf</c>, the key derivation OpenSSH uses for encrypted private key files
/// (kdfname "bcrypt"). A PBKDF2-like construction whose PRF is a bcrypt-style hash over SHA-512
/// digests of the passphrase and salt; output bytes are spread across blocks so that every block
/// must be computed to get any contiguous part of the key.
/// </summary>
internal static class BcryptPbkdf
{
    private const int HashSize = 32;

    // "OxychromaticBlowfishSwatDynamite": the 32-byte plaintext bcrypt_hash encrypts.
    private static ReadOnlySpan<byte> MagicText => "OxychromaticBlowfishSwatDynamite"u8;

    /// <summary>Fills <paramref name="output"/> with key material derived from the passphrase; <paramref name="cancellationToken"/> is checked every round.</summary>
    public static void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int rounds, Span<byte> output, CancellationToken cancellationToken = default)
    {
        if (rounds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rounds), "bcrypt rounds must be at least 1");
        }

        if (output.Length == 0 || output.Length > HashSize * HashSize)
        {
            throw new ArgumentOutOfRangeException(nameof(output), "bcrypt_pbkdf output must be 1 to 1024 bytes");
        }

        int stride = (output.Length + HashSize - 1) / HashSize;
        int perBlock = (output.Length + stride - 1) / stride;

        Span<byte> passwordHash = stackalloc byte[64];
        Span<byte> saltHash = stackalloc byte[64];
        Span<byte> blockOutput = stackalloc byte[HashSize];
        Span<byte> roundOutput = stackalloc byte[HashSize];
        byte[] countedSalt = new byte[salt.Length + 4];
        var blowfish = new EksBlowfish();
        try
        {
            SHA512.HashData(password, passwordHash);
            salt.CopyTo(countedSalt);
            int remaining = output.Length;
            for (int count = 1; remaining > 0; count++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BinaryPrimitives.WriteUInt32BigEndian(countedSalt.AsSpan(salt.Length), (uint)count);
                SHA512.HashData(countedSalt, saltHash);
                Hash(blowfish, passwordHash, saltHash, roundOutput);
                roundOutput.CopyTo(blockOutput);
                for (int round = 1; round < rounds; round++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    SHA512.HashData(roundOutput, saltHash);
                    Hash(blowfish, passwordHash, saltHash, roundOutput);
                    for (int j = 0; j < HashSize; j++)
                    {
                        blockOutput[j] ^= roundOutput[j];
                    }
                }

                int taken = 0;
                for (; taken < Math.Min(perBlock, remaining); taken++)
                {
                    int destination = (taken * stride) + (count - 1);
                    if (destination >= output.Length)
                    {
                        break;
                    }

                    output[destination] = blockOutput[taken];
                }

                remaining -= taken;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordHash);
            CryptographicOperations.ZeroMemory(saltHash);
            CryptographicOperations.ZeroMemory(blockOutput);
            CryptographicOperations.ZeroMemory(roundOutput);
            CryptographicOperations.ZeroMemory(countedSalt);
            blowfish.Clear();
        }
    }

    /// <summary>bcrypt_hash: 64 rounds of expensive key schedule, then encrypt the magic text 64 times.</summary>
    private static void Hash(EksBlowfish blowfish, ReadOnlySpan<byte> passwordHash, ReadOnlySpan<byte> saltHash, Span<byte> output)
    {
        blowfish.Reset();
        blowfish.ExpandState(saltHash, passwordHash);
        for (int i = 0; i < 64; i++)
        {
            blowfish.ExpandState(saltHash);
            blowfish.ExpandState(passwordHash);
        }

        Span<uint> words = stackalloc uint[HashSize / 4];
        EksBlowfish.ToWords(MagicText, words);
        for (int i = 0; i < 64; i++)
        {
            blowfish.EncryptBlocks(words);
        }

        // bcrypt_pbkdf stores each word little-endian (it differs here from bcrypt proper).
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output[(4 * i)..], words[i]);
        }

        words.Clear();
    }
}
