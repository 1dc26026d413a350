using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// OpenSSH's private key format, <c>openssh-key-v1</c> (OpenSSH PROTOCOL.key):
/// <code>
/// "openssh-key-v1\0"
/// string ciphername, string kdfname, string kdfoptions, uint32 key count (1)
/// string public key blob
/// string private section, encrypted (GCM: followed by a 16-byte tag)
/// private section: uint32 checkint, uint32 checkint (equal), key type and private fields,
///                  string comment, padding 1, 2, 3, ... to the cipher's block size
/// bcrypt kdfoptions: string salt, uint32 rounds
/// </code>
/// </summary>
internal static class OpenSshKeyFile
{
    public const string PemLabel = "OPENSSH PRIVATE KEY";
    public const int WriteRounds = 16;
    private const int SaltLength = 16;

    private static ReadOnlySpan<byte> Magic => "openssh-key-v1\0"u8;

    /// <summary>Decodes the binary content of an <c>OPENSSH PRIVATE KEY</c> PEM block.</summary>
    /// <exception cref="SshKeyLimitException">The file asks for more bcrypt rounds than <paramref name="limits"/> allow.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled during key derivation.</exception>
    public static SshPrivateKey Read(ReadOnlySpan<byte> data, string? passphrase, SshKeyLoadLimits limits, CancellationToken cancellationToken)
    {
        if (!data.StartsWith(Magic))
        {
            throw new SshKeyFormatException("the OpenSSH private key does not start with 'openssh-key-v1'");
        }

        var reader = new SshReader(data[Magic.Length..]);
        string cipherName = reader.ReadAsciiString();
        string kdfName = reader.ReadAsciiString();
        ReadOnlySpan<byte> kdfOptions = reader.ReadString();
        uint count = reader.ReadUInt32();
        if (count != 1)
        {
            throw new SshKeyFormatException($"the OpenSSH private key file holds {count} keys; exactly one is supported");
        }

        ReadOnlySpan<byte> publicBlob = reader.ReadString();
        ReadOnlySpan<byte> encrypted = reader.ReadString();
        KeyFileCipher cipher = KeyFileCipher.Find(cipherName)
            ?? throw new SshKeyFormatException($"the OpenSSH private key is encrypted with unsupported cipher '{cipherName}'");
        ReadOnlySpan<byte> tag = reader.ReadBytes(cipher.TagLength);
        reader.ReadEnd();

        if (encrypted.Length % cipher.BlockSize != 0)
        {
            throw new SshKeyFormatException($"the private section length {encrypted.Length} is not a multiple of the {cipher.Name} block size");
        }

        byte[] plain = new byte[encrypted.Length];
        try
        {
            if (cipher == KeyFileCipher.None)
            {
                if (kdfName != "none")
                {
                    throw new SshKeyFormatException($"unencrypted OpenSSH private key names kdf '{kdfName}'");
                }

                encrypted.CopyTo(plain);
            }
            else
            {
                Decrypt(cipher, kdfName, kdfOptions, passphrase, encrypted, tag, plain, limits, cancellationToken);
            }

            return ReadPrivateSection(plain, publicBlob, cipher);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>The cipher names <see cref="Write"/> accepts for encrypted files.</summary>
    public static readonly IReadOnlyList<string> WriteCiphers = ["aes256-ctr", "aes256-gcm@openssh.com"];

    /// <summary>
    /// Encodes <paramref name="key"/> as PEM text, encrypted with <paramref name="cipherName"/> + bcrypt
    /// when a passphrase is given.
    /// </summary>
    public static string Write(SshPrivateKey key, string? passphrase, string cipherName = "aes256-ctr")
    {
        if (!WriteCiphers.Contains(cipherName))
        {
            throw new ArgumentException($"cannot write private keys encrypted with '{cipherName}'; use one of {string.Join(", ", WriteCiphers)}", nameof(cipherName));
        }

        bool encrypt = !string.IsNullOrEmpty(passphrase);
        KeyFileCipher cipher = encrypt ? KeyFileCipher.Find(cipherName)! : KeyFileCipher.None;

        using var plain = new SecretBuffer(4096);
        SshWriter writer = plain.Writer;
        uint check = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        writer.WriteUInt32(check);
        writer.WriteUInt32(check);
        writer.WriteString(key.KeyType);
        key.WriteOpenSshFields(ref writer);
        writer.WriteString(key.Comment);
        for (byte pad = 1; plain.Length % cipher.BlockSize != 0; pad++)
        {
            writer.WriteByte(pad);
        }

        byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
        byte[] encrypted = new byte[plain.Length];
        byte[] tag = new byte[cipher.TagLength];
        if (encrypt)
        {
            byte[] keyAndIv = DeriveKeyAndIv(cipher, passphrase!, salt, WriteRounds);
            try
            {
                cipher.Encrypt(keyAndIv.AsSpan(0, cipher.KeyLength), keyAndIv.AsSpan(cipher.KeyLength), plain.WrittenSpan, encrypted, tag);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(keyAndIv);
            }
        }
        else
        {
            plain.WrittenSpan.CopyTo(encrypted);
        }

        using var output = new SshBuffer(encrypted.Length + 1024);
        SshWriter outer = output.Writer;
        outer.WriteRaw(Magic);
        outer.WriteString(cipher.Name);
        outer.WriteString(encrypt ? "bcrypt" : "none");
        if (encrypt)
        {
            using var options = new SshBuffer(32);
            SshWriter optionsWriter = options.Writer;
            optionsWriter.WriteString(salt);
            optionsWriter.WriteUInt32(WriteRounds);
            outer.WriteString(options.WrittenSpan);
        }
        else
        {
            outer.WriteString(ReadOnlySpan<byte>.Empty);
        }

        outer.WriteUInt32(1);
        outer.WriteString(key.PublicKey.Blob.Span);
        outer.WriteString(encrypted);
        outer.WriteRaw(tag);
        return PemText.Encode(PemLabel, output.WrittenSpan, lineLength: 70);
    }

    private static void Decrypt(
        KeyFileCipher cipher, string kdfName, ReadOnlySpan<byte> kdfOptions, string? passphrase,
        ReadOnlySpan<byte> encrypted, ReadOnlySpan<byte> tag, Span<byte> plain, SshKeyLoadLimits limits, CancellationToken cancellationToken)
    {
        if (kdfName != "bcrypt")
        {
            throw new SshKeyFormatException($"the OpenSSH private key uses unsupported kdf '{kdfName}'");
        }

        var options = new SshReader(kdfOptions);
        ReadOnlySpan<byte> salt = options.ReadString();
        uint rounds = options.ReadUInt32();
        options.ReadEnd();
        if (rounds == 0)
        {
            throw new SshKeyFormatException("the OpenSSH private key asks for 0 bcrypt rounds");
        }

        SshKeyLoadLimits.Check("bcrypt rounds", rounds, limits.MaxBcryptRounds, nameof(limits.MaxBcryptRounds));

        if (string.IsNullOrEmpty(passphrase))
        {
            throw new SshKeyPassphraseException("the private key is encrypted; a passphrase is needed");
        }

        byte[] keyAndIv = DeriveKeyAndIv(cipher, passphrase, salt, (int)rounds, cancellationToken);
        try
        {
            if (!cipher.TryDecrypt(keyAndIv.AsSpan(0, cipher.KeyLength), keyAndIv.AsSpan(cipher.KeyLength), encrypted, tag, plain))
            {
                throw new SshKeyPassphraseException("wrong passphrase for the private key");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndIv);
        }
    }

    private static byte[] DeriveKeyAndIv(KeyFileCipher cipher, string passphrase, ReadOnlySpan<byte> salt, int rounds, CancellationToken cancellationToken = default)
    {
        byte[] password = Encoding.UTF8.GetBytes(passphrase);
        byte[] keyAndIv = new byte[cipher.KeyLength + cipher.IvLength];
        try
        {
            BcryptPbkdf.DeriveKey(password, salt, rounds, keyAndIv, cancellationToken);
            return keyAndIv;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(keyAndIv);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private static SshPrivateKey ReadPrivateSection(ReadOnlySpan<byte> plain, ReadOnlySpan<byte> publicBlob, KeyFileCipher cipher)
    {
        var reader = new SshReader(plain);
        uint check1 = reader.ReadUInt32();
        uint check2 = reader.ReadUInt32();
        if (check1 != check2)
        {
            if (cipher == KeyFileCipher.None)
            {
                throw new SshKeyFormatException("the OpenSSH private key is corrupt (check values differ)");
            }

            throw new SshKeyPassphraseException("wrong passphrase for the private key");
        }

        string keyType = reader.ReadAsciiString();
        SshPrivateKey key = KeyTypes.ReadOpenSshPrivateFields(keyType, ref reader);
        try
        {
            key.Comment = reader.ReadUtf8String();
            ReadOnlySpan<byte> padding = reader.RemainingSpan;
            for (int i = 0; i < padding.Length; i++)
            {
                if (padding[i] != (byte)(i + 1))
                {
                    throw new SshKeyFormatException("the OpenSSH private key has invalid padding");
                }
            }

            if (!key.PublicKey.Blob.Span.SequenceEqual(publicBlob))
            {
                throw new SshKeyFormatException("the OpenSSH private key does not match the public key stored with it");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
