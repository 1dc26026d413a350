using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Formats;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

/// <summary>
/// A private key that can sign for SSH (client authentication, server host keys).
/// Dispose it to clear the key material. As an <see cref="ISshSigner"/> it signs synchronously.
/// </summary>
public abstract class SshPrivateKey : IDisposable, ISshSigner
{
    /// <summary>The matching public key.</summary>
    public abstract SshPublicKey PublicKey { get; }

    /// <summary>The comment stored with the key, if any.</summary>
    public string Comment { get; set; } = string.Empty;

    /// <summary>The key type (<c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256</c>, <c>ssh-rsa</c>, ...).</summary>
    public string KeyType => PublicKey.KeyType;

    /// <summary>The signature algorithms this key can produce, strongest first.</summary>
    public IReadOnlyList<string> SignatureAlgorithms => PublicKey.SignatureAlgorithms;

    /// <summary>
    /// Signs <paramref name="data"/> with <paramref name="signatureAlgorithm"/> and returns the SSH
    /// signature blob (<c>string algorithm, string signature</c>).
    /// </summary>
    public abstract byte[] Sign(string signatureAlgorithm, ReadOnlySpan<byte> data);

    /// <summary>
    /// <see cref="Sign"/> as an <see cref="ISshSigner"/>: signs on the calling thread and returns a
    /// completed task (a faulted one when <see cref="Sign"/> throws, a cancelled one when
    /// <paramref name="cancellationToken"/> already is).
    /// </summary>
    public ValueTask<byte[]> SignAsync(string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<byte[]>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Sign(signatureAlgorithm, data.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<byte[]>(e);
        }
    }

    /// <summary>Key types <see cref="Generate"/> accepts and the readers understand.</summary>
    public static IReadOnlyList<string> SupportedKeyTypes => KeyTypes.Supported;

    /// <summary>
    /// Reads a private key file. Formats (detected from the content): OpenSSH <c>openssh-key-v1</c>
    /// (unencrypted, or bcrypt with aes128/192/256-ctr, aes128/192/256-cbc, aes128/256-gcm@openssh.com),
    /// PEM <c>RSA PRIVATE KEY</c> (PKCS#1), <c>EC PRIVATE KEY</c> (SEC1), <c>PRIVATE KEY</c> (PKCS#8
    /// RSA/EC/Ed25519), <c>ENCRYPTED PRIVATE KEY</c> (PKCS#8), legacy <c>Proc-Type: 4,ENCRYPTED</c> PEM,
    /// and PuTTY <c>.ppk</c> versions 2 and 3 (unencrypted or aes256-cbc; the Private-MAC is verified).
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="passphrase">The passphrase, for encrypted keys; ignored for unencrypted ones.</param>
    /// <exception cref="SshKeyPassphraseException">The key is encrypted and the passphrase is missing or wrong.</exception>
    /// <exception cref="SshKeyLimitException">The file asks for more key derivation work than <see cref="SshKeyLoadLimits.Default"/> allow.</exception>
    /// <exception cref="SshKeyFormatException">The file is not a supported key, or is truncated or corrupt; the message names the file.</exception>
    public static SshPrivateKey Load(string path, string? passphrase = null) => Load(path, passphrase, null);

    /// <summary>
    /// Reads a private key file (formats as for <see cref="Load(string, string?)"/>) within
    /// <paramref name="limits"/>, and can be cancelled: bcrypt (OpenSSH keys) checks the token every
    /// round; Argon2 (PuTTY), PBKDF2 and scrypt (PKCS#8) check it before they start and then run to
    /// completion, bounded by the limits.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="passphrase">The passphrase, for encrypted keys; ignored for unencrypted ones.</param>
    /// <param name="limits">The most key derivation work the file may ask for; null for <see cref="SshKeyLoadLimits.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="SshKeyPassphraseException">The key is encrypted and the passphrase is missing or wrong.</exception>
    /// <exception cref="SshKeyLimitException">The file asks for more key derivation work than <paramref name="limits"/> allow.</exception>
    /// <exception cref="SshKeyFormatException">The file is not a supported key, or is truncated or corrupt; the message names the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SshPrivateKey Load(string path, string? passphrase, SshKeyLoadLimits? limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = File.ReadAllText(path);
        try
        {
            return Parse(text, passphrase, limits, cancellationToken);
        }
        catch (SshKeyPassphraseException e)
        {
            throw new SshKeyPassphraseException($"{path}: {e.Message}", e);
        }
        catch (SshKeyLimitException e)
        {
            throw new SshKeyLimitException($"{path}: {e.Message}", e);
        }
        catch (SshKeyFormatException e)
        {
            throw new SshKeyFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a private key from the text of a key file; formats as for <see cref="Load(string, string?)"/>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="passphrase">The passphrase, for encrypted keys; ignored for unencrypted ones.</param>
    /// <exception cref="SshKeyPassphraseException">The key is encrypted and the passphrase is missing or wrong.</exception>
    /// <exception cref="SshKeyLimitException">The key asks for more key derivation work than <see cref="SshKeyLoadLimits.Default"/> allow.</exception>
    /// <exception cref="SshKeyFormatException">The text is not a supported key, or is truncated or corrupt.</exception>
    public static SshPrivateKey Parse(string text, string? passphrase = null) => Parse(text, passphrase, null);

    /// <summary>
    /// Reads a private key from the text of a key file within <paramref name="limits"/>; cancellable
    /// as <see cref="Load(string, string?, SshKeyLoadLimits?, CancellationToken)"/>.
    /// </summary>
    /// <param name="text">The file's text.</param>
    /// <param name="passphrase">The passphrase, for encrypted keys; ignored for unencrypted ones.</param>
    /// <param name="limits">The most key derivation work the key may ask for; null for <see cref="SshKeyLoadLimits.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="SshKeyPassphraseException">The key is encrypted and the passphrase is missing or wrong.</exception>
    /// <exception cref="SshKeyLimitException">The key asks for more key derivation work than <paramref name="limits"/> allow.</exception>
    /// <exception cref="SshKeyFormatException">The text is not a supported key, or is truncated or corrupt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SshPrivateKey Parse(string text, string? passphrase, SshKeyLoadLimits? limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        limits ??= SshKeyLoadLimits.Default;
        limits.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (PuttyKeyFile.LooksLikePutty(text))
        {
            try
            {
                return PuttyKeyFile.Read(text, passphrase, limits, cancellationToken);
            }
            catch (SshFormatException e)
            {
                throw new SshKeyFormatException($"the PuTTY private key is truncated or malformed: {e.Message}", e);
            }
        }

        if (!PemText.LooksLikePem(text))
        {
            throw new SshKeyFormatException("not a private key file: no PEM '-----BEGIN' line found");
        }

        PemText pem = PemText.Decode(text);
        try
        {
            return PemKeyFile.Read(pem, passphrase, limits, cancellationToken);
        }
        catch (SshFormatException e)
        {
            throw new SshKeyFormatException($"the private key is truncated or malformed: {e.Message}", e);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(pem.Data);
        }
    }

    /// <summary>Creates a new random key.</summary>
    /// <param name="keyType"><c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256</c>, <c>ecdsa-sha2-nistp384</c>, <c>ecdsa-sha2-nistp521</c> or <c>ssh-rsa</c>.</param>
    /// <param name="bits">RSA modulus size (0 means 3072, as ssh-keygen); for ECDSA 0 or the curve's size; ignored for Ed25519.</param>
    /// <exception cref="ArgumentException">The key type is not supported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size does not fit the key type.</exception>
    public static SshPrivateKey Generate(string keyType, int bits = 0)
    {
        ArgumentNullException.ThrowIfNull(keyType);
        return KeyTypes.Generate(keyType, bits);
    }

    /// <summary>
    /// Writes the key in OpenSSH's <c>openssh-key-v1</c> PEM format (what ssh-keygen writes by default),
    /// with <see cref="Comment"/>. With a passphrase the private part is encrypted with aes256-ctr and a
    /// key derived by bcrypt_pbkdf with 16 rounds and a random salt.
    /// </summary>
    public string ToOpenSshPrivateKey(string? passphrase = null) => OpenSshKeyFile.Write(this, passphrase);

    /// <summary>
    /// Writes the key in OpenSSH's <c>openssh-key-v1</c> format, encrypted (when a passphrase is given)
    /// with <paramref name="cipher"/>: <c>aes256-ctr</c> (the default, as ssh-keygen) or
    /// <c>aes256-gcm@openssh.com</c> (authenticated: a wrong passphrase is detected by the tag).
    /// </summary>
    /// <param name="passphrase">The passphrase; null or empty writes an unencrypted key.</param>
    /// <param name="cipher">The cipher name; see <see cref="OpenSshPrivateKeyCiphers"/>.</param>
    /// <exception cref="ArgumentException">The cipher is not one of <see cref="OpenSshPrivateKeyCiphers"/>.</exception>
    public string ToOpenSshPrivateKey(string? passphrase, string cipher)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        return OpenSshKeyFile.Write(this, passphrase, cipher);
    }

    /// <summary>The ciphers <see cref="ToOpenSshPrivateKey(string?, string)"/> and <see cref="Save(string, string?, string)"/> can encrypt with.</summary>
    public static IReadOnlyList<string> OpenSshPrivateKeyCiphers => OpenSshKeyFile.WriteCiphers;

    /// <summary>
    /// Writes the key as a PuTTY <c>.ppk</c> file (version 3 by default; see <paramref name="options"/>)
    /// with <see cref="Comment"/>. With a passphrase the private blob is encrypted with aes256-cbc: in
    /// version 3 under keys derived by Argon2, in version 2 by PuTTY's SHA-1 scheme.
    /// </summary>
    /// <param name="passphrase">The passphrase; null or empty writes an unencrypted key.</param>
    /// <param name="options">Version and Argon2 parameters; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public string ToPuttyPrivateKey(string? passphrase = null, PuttyKeyFileOptions? options = null) =>
        PuttyKeyFile.Write(this, passphrase, options ?? new PuttyKeyFileOptions());

    /// <summary>Saves <see cref="ToPuttyPrivateKey"/> to <paramref name="path"/>, replacing the file (mode 0600 on Unix).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void SavePutty(string path, string? passphrase = null, PuttyKeyFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        WritePrivateFile(path, ToPuttyPrivateKey(passphrase, options));
    }

    /// <summary>
    /// Saves <see cref="ToOpenSshPrivateKey(string?)"/> to <paramref name="path"/>, replacing the file. On Unix the
    /// file is readable and writable by its owner only (mode 0600), as ssh refuses keys others can read.
    /// </summary>
    public void Save(string path, string? passphrase = null) => Save(path, passphrase, "aes256-ctr");

    /// <summary>
    /// Saves <see cref="ToOpenSshPrivateKey(string?, string)"/> to <paramref name="path"/> (mode 0600 on Unix),
    /// encrypted with <paramref name="cipher"/> when a passphrase is given.
    /// </summary>
    /// <exception cref="ArgumentException">The cipher is not one of <see cref="OpenSshPrivateKeyCiphers"/>.</exception>
    public void Save(string path, string? passphrase, string cipher)
    {
        ArgumentNullException.ThrowIfNull(path);
        WritePrivateFile(path, ToOpenSshPrivateKey(passphrase, cipher));
    }

    private static void WritePrivateFile(string path, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode only applies to new files; tighten an existing one too.
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            stream.Write(bytes);
        }

        System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>Writes the fields OpenSSH's private section holds after the key type name.</summary>
    internal virtual void WriteOpenSshFields(ref SshWriter writer) =>
        throw new NotSupportedException($"this {KeyType} key cannot be exported");

    /// <summary>
    /// Writes the private fields that follow a certificate of this key when it travels with one (an
    /// agent's add-identity message): OpenSSH's private fields without the public ones the certificate holds.
    /// </summary>
    internal virtual void WriteCertifiedFields(ref SshWriter writer) =>
        throw new NotSupportedException($"this {KeyType} key cannot be exported");

    /// <summary>Writes the fields of PuTTY's private blob (the public blob holds the rest).</summary>
    internal virtual void WritePuttyFields(ref SshWriter writer) =>
        throw new NotSupportedException($"this {KeyType} key cannot be exported");

    /// <summary>Throws <see cref="ArgumentException"/> unless this key can produce <paramref name="signatureAlgorithm"/>.</summary>
    internal void ThrowIfUnsupported(string signatureAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(signatureAlgorithm);
        foreach (string name in SignatureAlgorithms)
        {
            if (name == signatureAlgorithm)
            {
                return;
            }
        }

        throw new ArgumentException($"a {KeyType} key cannot make '{signatureAlgorithm}' signatures", nameof(signatureAlgorithm));
    }

    /// <summary>Releases the key material.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the key material.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
