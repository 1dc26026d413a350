using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// PuTTY's private key format (<c>.ppk</c>), versions 2 and 3:
/// <code>
/// PuTTY-User-Key-File-{2|3}: key type
/// Encryption: none | aes256-cbc
/// Comment: text
/// Public-Lines: n, then n lines of base64 (public key blob)
/// (version 3, encrypted) Key-Derivation: Argon2id|Argon2i|Argon2d, Argon2-Memory (KiB),
///     Argon2-Passes, Argon2-Parallelism, Argon2-Salt (hex)
/// Private-Lines: m, then m lines of base64 (private blob, padded to 16 bytes when encrypted)
/// Private-MAC: hex
/// </code>
/// The MAC (HMAC-SHA1 in v2, HMAC-SHA-256 in v3) covers the SSH strings key type, encryption,
/// comment, public blob and decrypted private blob.
/// </summary>
internal static class PuttyKeyFile
{
    public const string MagicPrefix = "PuTTY-User-Key-File-";
    private const string Aes256Cbc = "aes256-cbc";
    private const int Base64LineLength = 64;
    private const int SaltLength = 16;

    /// <summary>True when <paramref name="text"/> starts like a PuTTY key file (any version).</summary>
    public static bool LooksLikePutty(string text) => text.AsSpan().TrimStart().StartsWith(MagicPrefix, StringComparison.Ordinal);

    /// <summary>Reads a <c>.ppk</c> file's text.</summary>
    /// <exception cref="SshKeyLimitException">The file asks for more Argon2 memory or passes than <paramref name="limits"/> allow.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before key derivation.</exception>
    public static SshPrivateKey Read(string text, string? passphrase, SshKeyLoadLimits limits, CancellationToken cancellationToken)
    {
        var lines = new LineReader(text);
        (string magic, string keyType) = lines.Next();
        int version = magic switch
        {
            "PuTTY-User-Key-File-2" => 2,
            "PuTTY-User-Key-File-3" => 3,
            "PuTTY-User-Key-File-1" => throw new SshKeyFormatException("PuTTY key file version 1 is not supported; re-save the key with a current puttygen"),
            _ => throw new SshKeyFormatException($"unknown PuTTY key file version '{magic}'; versions 2 and 3 are supported"),
        };

        string encryption = lines.Expect("Encryption");
        if (encryption is not ("none" or Aes256Cbc))
        {
            throw new SshKeyFormatException($"the PuTTY key is encrypted with unsupported '{encryption}' (supported: none, {Aes256Cbc})");
        }

        bool encrypted = encryption == Aes256Cbc;
        string comment = lines.Expect("Comment");
        byte[] publicBlob = lines.Base64Block("Public-Lines");
        SshPublicKey publicKey = SshPublicKey.FromBlob(publicBlob);
        if (publicKey.KeyType != keyType)
        {
            throw new SshKeyFormatException($"the PuTTY key file says '{keyType}' but its public key is '{publicKey.KeyType}'");
        }

        PuttyKeyDerivation variant = default;
        int memory = 0, passes = 0, parallelism = 0;
        byte[] salt = [];
        if (version == 3 && encrypted)
        {
            string kdf = lines.Expect("Key-Derivation");
            variant = kdf switch
            {
                "Argon2id" => PuttyKeyDerivation.Argon2id,
                "Argon2i" => PuttyKeyDerivation.Argon2i,
                "Argon2d" => PuttyKeyDerivation.Argon2d,
                _ => throw new SshKeyFormatException($"the PuTTY key uses unsupported key derivation '{kdf}'"),
            };
            memory = lines.ExpectNumber("Argon2-Memory", 8, PuttyKeyDerivationFunctions.MaxMemoryKiB);
            passes = lines.ExpectNumber("Argon2-Passes", 1, PuttyKeyDerivationFunctions.MaxPasses);
            parallelism = lines.ExpectNumber("Argon2-Parallelism", 1, PuttyKeyDerivationFunctions.MaxParallelism);
            salt = lines.ExpectHex("Argon2-Salt");
            SshKeyLoadLimits.Check("KiB of Argon2 memory", memory, limits.MaxArgon2MemoryKiB, nameof(limits.MaxArgon2MemoryKiB));
            SshKeyLoadLimits.Check("Argon2 passes", passes, limits.MaxArgon2Passes, nameof(limits.MaxArgon2Passes));
        }

        byte[] privateData = lines.Base64Block("Private-Lines");
        byte[] mac = lines.ExpectHex("Private-MAC");
        lines.ExpectEnd();

        if (encrypted && string.IsNullOrEmpty(passphrase))
        {
            throw new SshKeyPassphraseException("the PuTTY private key is encrypted; a passphrase is needed");
        }

        if (encrypted && (privateData.Length == 0 || privateData.Length % 16 != 0))
        {
            throw new SshKeyFormatException($"the PuTTY private key's encrypted data ({privateData.Length} bytes) is not a whole number of AES blocks");
        }

        string secret = encrypted ? passphrase! : string.Empty;
        byte[]? derived = null;
        byte[] plain = new byte[privateData.Length];
        byte[] macKey = [];
        try
        {
            if (version == 2)
            {
                macKey = PuttyKeyDerivationFunctions.V2MacKey(secret);
                if (encrypted)
                {
                    derived = PuttyKeyDerivationFunctions.V2CipherKey(secret);
                    DecryptCbc(derived, new byte[16], privateData, plain);
                }
                else
                {
                    privateData.CopyTo(plain, 0);
                }
            }
            else if (encrypted)
            {
                // Argon2 runs to completion once started (neither backend can be interrupted); the limits bound it.
                cancellationToken.ThrowIfCancellationRequested();
                derived = PuttyKeyDerivationFunctions.V3Keys(secret, variant, memory, passes, parallelism, salt);
                macKey = derived[^PuttyKeyDerivationFunctions.V3MacKeyLength..];
                DecryptCbc(
                    derived.AsSpan(0, PuttyKeyDerivationFunctions.CipherKeyLength),
                    derived.AsSpan(PuttyKeyDerivationFunctions.CipherKeyLength, PuttyKeyDerivationFunctions.IvLength),
                    privateData,
                    plain);
            }
            else
            {
                privateData.CopyTo(plain, 0);
            }

            byte[] expected = ComputeMac(version, macKey, keyType, encryption, comment, publicBlob, plain);
            if (expected.Length != mac.Length || !CryptographicOperations.FixedTimeEquals(expected, mac))
            {
                if (encrypted)
                {
                    throw new SshKeyPassphraseException("wrong passphrase for the PuTTY private key (or the file was modified: its MAC does not match)");
                }

                throw new SshKeyFormatException("the PuTTY private key file was modified or is corrupt: its Private-MAC does not match");
            }

            return ReadKey(publicKey, comment, plain, encrypted);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            CryptographicOperations.ZeroMemory(macKey);
            if (derived is not null)
            {
                CryptographicOperations.ZeroMemory(derived);
            }
        }
    }

    public static string Write(SshPrivateKey key, string? passphrase, PuttyKeyFileOptions options)
    {
        options.Validate();
        if (key.Comment.Any(c => c is '\r' or '\n'))
        {
            throw new ArgumentException("a PuTTY key comment cannot contain line breaks", nameof(key));
        }

        bool encrypt = !string.IsNullOrEmpty(passphrase);
        string encryption = encrypt ? Aes256Cbc : "none";
        byte[] publicBlob = key.PublicKey.Blob.ToArray();

        using var plainBuffer = new SecretBuffer(4096);
        SshWriter writer = plainBuffer.Writer;
        key.WritePuttyFields(ref writer);
        if (encrypt)
        {
            int padding = 16 - (plainBuffer.Length % 16);
            if (padding != 16)
            {
                writer.WriteRaw(RandomNumberGenerator.GetBytes(padding));
            }
        }

        Span<byte> plain = plainBuffer.WrittenSpan;
        byte[] output = new byte[plain.Length];
        byte[] salt = encrypt && options.Version == 3 ? RandomNumberGenerator.GetBytes(SaltLength) : [];
        byte[]? derived = null;
        byte[] macKey = [];
        try
        {
            if (options.Version == 2)
            {
                macKey = PuttyKeyDerivationFunctions.V2MacKey(encrypt ? passphrase! : string.Empty);
                if (encrypt)
                {
                    derived = PuttyKeyDerivationFunctions.V2CipherKey(passphrase!);
                    EncryptCbc(derived, new byte[16], plain, output);
                }
            }
            else if (encrypt)
            {
                derived = PuttyKeyDerivationFunctions.V3Keys(
                    passphrase!, options.KeyDerivation, options.Argon2MemoryKiB, options.Argon2Passes, options.Argon2Parallelism, salt);
                macKey = derived[^PuttyKeyDerivationFunctions.V3MacKeyLength..];
                EncryptCbc(
                    derived.AsSpan(0, PuttyKeyDerivationFunctions.CipherKeyLength),
                    derived.AsSpan(PuttyKeyDerivationFunctions.CipherKeyLength, PuttyKeyDerivationFunctions.IvLength),
                    plain,
                    output);
            }

            if (!encrypt)
            {
                plain.CopyTo(output);
            }

            byte[] mac = ComputeMac(options.Version, macKey, key.KeyType, encryption, key.Comment, publicBlob, plain);

            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{MagicPrefix}{options.Version}: {key.KeyType}\n");
            text.Append(CultureInfo.InvariantCulture, $"Encryption: {encryption}\n");
            text.Append(CultureInfo.InvariantCulture, $"Comment: {key.Comment}\n");
            AppendBase64Block(text, "Public-Lines", publicBlob);
            if (encrypt && options.Version == 3)
            {
                text.Append(CultureInfo.InvariantCulture, $"Key-Derivation: {options.KeyDerivation}\n");
                text.Append(CultureInfo.InvariantCulture, $"Argon2-Memory: {options.Argon2MemoryKiB}\n");
                text.Append(CultureInfo.InvariantCulture, $"Argon2-Passes: {options.Argon2Passes}\n");
                text.Append(CultureInfo.InvariantCulture, $"Argon2-Parallelism: {options.Argon2Parallelism}\n");
                text.Append(CultureInfo.InvariantCulture, $"Argon2-Salt: {Convert.ToHexStringLower(salt)}\n");
            }

            AppendBase64Block(text, "Private-Lines", output);
            text.Append(CultureInfo.InvariantCulture, $"Private-MAC: {Convert.ToHexStringLower(mac)}\n");
            return text.ToString();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(output);
            CryptographicOperations.ZeroMemory(macKey);
            if (derived is not null)
            {
                CryptographicOperations.ZeroMemory(derived);
            }
        }
    }

    /// <summary>The Private-MAC over the SSH strings key type, encryption, comment, public blob, private blob.</summary>
    internal static byte[] ComputeMac(int version, byte[] macKey, string keyType, string encryption, string comment, ReadOnlySpan<byte> publicBlob, ReadOnlySpan<byte> privateBlob)
    {
        using var data = new SecretBuffer(publicBlob.Length + privateBlob.Length + 256);
        SshWriter writer = data.Writer;
        writer.WriteString(keyType);
        writer.WriteString(encryption);
        writer.WriteString(comment);
        writer.WriteString(publicBlob);
        writer.WriteString(privateBlob);
#pragma warning disable CA5350 // HMAC-SHA1 is what the PPK v2 format specifies.
        return version == 2 ? HMACSHA1.HashData(macKey, data.WrittenSpan) : HMACSHA256.HashData(macKey, data.WrittenSpan);
#pragma warning restore CA5350
    }

    private static SshPrivateKey ReadKey(SshPublicKey publicKey, string comment, byte[] plain, bool encrypted)
    {
        SshPrivateKey key;
        int rest;
        try
        {
            var reader = new SshReader(plain);
            key = KeyTypes.ReadPuttyPrivateFields(publicKey, ref reader);
            rest = reader.Remaining;
        }
        catch (SshFormatException e)
        {
            throw new SshKeyFormatException($"the PuTTY private key data is truncated or malformed: {e.Message}", e);
        }

        // Encrypted blobs are padded to the AES block size; unencrypted ones are exact.
        if (rest >= (encrypted ? 16 : 1))
        {
            key.Dispose();
            throw new SshKeyFormatException($"the PuTTY private key data has {rest} unexpected trailing bytes");
        }

        if (!key.PublicKey.Equals(publicKey))
        {
            key.Dispose();
            throw new SshKeyFormatException("the PuTTY private key does not match its public key");
        }

        key.Comment = comment;
        return key;
    }

    private static void DecryptCbc(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var aes = Aes.Create();
        aes.SetKey(key);
        aes.DecryptCbc(input, iv, output, PaddingMode.None);
    }

    private static void EncryptCbc(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var aes = Aes.Create();
        aes.SetKey(key);
        aes.EncryptCbc(input, iv, output, PaddingMode.None);
    }

    private static void AppendBase64Block(StringBuilder text, string header, ReadOnlySpan<byte> data)
    {
        string base64 = Convert.ToBase64String(data);
        int count = (base64.Length + Base64LineLength - 1) / Base64LineLength;
        text.Append(CultureInfo.InvariantCulture, $"{header}: {count}\n");
        for (int i = 0; i < base64.Length; i += Base64LineLength)
        {
            text.Append(base64, i, Math.Min(Base64LineLength, base64.Length - i)).Append('\n');
        }
    }

    /// <summary>Reads the file's "Name: value" lines in order, naming what is missing or wrong.</summary>
    private sealed class LineReader
    {
        private readonly string[] _lines;
        private int _index;

        public LineReader(string text)
        {
            _lines = text.Trim().ReplaceLineEndings("\n").Split('\n');
        }

        public (string Name, string Value) Next()
        {
            string line = NextLine("a header line");
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || (colon + 1 < line.Length && line[colon + 1] != ' '))
            {
                throw new SshKeyFormatException($"line {_index} of the PuTTY key file is not 'Name: value': '{Shorten(line)}'");
            }

            // The value follows ": "; an empty comment may have lost its trailing space.
            return (line[..colon], colon + 2 <= line.Length ? line[(colon + 2)..] : string.Empty);
        }

        public string Expect(string name)
        {
            (string found, string value) = Next();
            if (found != name)
            {
                throw new SshKeyFormatException($"line {_index} of the PuTTY key file should be '{name}:' but is '{found}:'");
            }

            return value;
        }

        public int ExpectNumber(string name, int min, int max)
        {
            string value = Expect(name);
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
            {
                throw new SshKeyFormatException($"the PuTTY key file's {name} '{Shorten(value)}' is not a number from {min} to {max}");
            }

            return number;
        }

        public byte[] ExpectHex(string name)
        {
            string value = Expect(name);
            try
            {
                return Convert.FromHexString(value);
            }
            catch (FormatException e)
            {
                throw new SshKeyFormatException($"the PuTTY key file's {name} is not valid hex", e);
            }
        }

        public byte[] Base64Block(string name)
        {
            int count = ExpectNumber(name, 0, 1 << 16);
            var base64 = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                base64.Append(NextLine($"{count} lines of base64 after {name}").Trim());
            }

            try
            {
                return Convert.FromBase64String(base64.ToString());
            }
            catch (FormatException e)
            {
                throw new SshKeyFormatException($"the PuTTY key file's {name} block is not valid base64", e);
            }
        }

        public void ExpectEnd()
        {
            while (_index < _lines.Length)
            {
                if (_lines[_index++].Trim().Length != 0)
                {
                    throw new SshKeyFormatException($"the PuTTY key file has unexpected text after Private-MAC at line {_index}");
                }
            }
        }

        private string NextLine(string what)
        {
            if (_index == _lines.Length)
            {
                throw new SshKeyFormatException($"the PuTTY key file ends early (truncated?): expected {what}");
            }

            return _lines[_index++].TrimEnd('\r');
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
    }
}
