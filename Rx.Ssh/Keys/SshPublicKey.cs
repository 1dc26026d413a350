using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Formats;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

/// <summary>
/// A public key as SSH carries it: a type name and the wire blob (RFC 4253 section 6.6).
/// Instances are immutable; equality is blob equality.
/// </summary>
public abstract class SshPublicKey : IEquatable<SshPublicKey>
{
    private readonly byte[] _blob;

    /// <summary>Creates a key from its wire blob.</summary>
    protected SshPublicKey(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        _blob = blob;
    }

    /// <summary>The key type as it appears first in the blob (<c>ssh-ed25519</c>, <c>ecdsa-sha2-nistp256</c>, <c>ssh-rsa</c>, ...).</summary>
    public abstract string KeyType { get; }

    /// <summary>The signature algorithms this key can verify, strongest first.</summary>
    public abstract IReadOnlyList<string> SignatureAlgorithms { get; }

    /// <summary>The key's wire encoding.</summary>
    public ReadOnlyMemory<byte> Blob => _blob;

    /// <summary>
    /// Verifies <paramref name="signatureBlob"/> (<c>string algorithm, string signature</c>) over
    /// <paramref name="data"/>. Returns false for a wrong signature or an algorithm this key cannot
    /// use; throws only for programming errors.
    /// </summary>
    public abstract bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob);

    /// <summary>The SHA256 fingerprint in OpenSSH notation: <c>SHA256:</c> and unpadded base64.</summary>
    public string GetFingerprint() => KeyFingerprint.Sha256(_blob);

    /// <summary>The legacy MD5 fingerprint in OpenSSH notation: <c>MD5:</c> and colon-separated hex.</summary>
    public string GetMd5Fingerprint() => KeyFingerprint.Md5(_blob);

    /// <summary>The key as one OpenSSH public key line: <c>type base64 [comment]</c>.</summary>
    public string ToOpenSshString(string? comment = null)
    {
        string line = KeyType + " " + Convert.ToBase64String(_blob);
        return string.IsNullOrEmpty(comment) ? line : line + " " + comment;
    }

    /// <summary>
    /// The key in the RFC 4716 format (<c>---- BEGIN SSH2 PUBLIC KEY ----</c>, as <c>ssh-keygen -e</c> writes),
    /// with <paramref name="comment"/> as a quoted <c>Comment</c> header; lines are at most 72 characters.
    /// </summary>
    /// <exception cref="ArgumentException">The comment contains a line break.</exception>
    public string ToRfc4716String(string? comment = null) => Rfc4716PublicKey.Write(this, comment);

    /// <summary>
    /// Decodes a public key blob (RFC 4253 section 6.6): <c>ssh-ed25519</c>,
    /// <c>ecdsa-sha2-nistp256/384/521</c> or <c>ssh-rsa</c>; a <c>*-cert-v01@openssh.com</c> blob
    /// gives an <see cref="SshCertificate"/>.
    /// </summary>
    /// <exception cref="SshKeyFormatException">The type is unknown or the blob is malformed (including trailing bytes or an invalid curve point).</exception>
    public static SshPublicKey FromBlob(ReadOnlySpan<byte> blob)
    {
        if (SshCertificate.IsCertificateBlob(blob))
        {
            return SshCertificate.FromOwnedBlob(blob.ToArray());
        }

        try
        {
            var reader = new SshReader(blob);
            SshPublicKey key = KeyTypes.ReadPublicKey(ref reader);
            reader.ReadEnd();
            return key;
        }
        catch (SshFormatException e)
        {
            throw new SshKeyFormatException($"malformed public key blob: {e.Message}", e);
        }
    }

    /// <summary>
    /// Parses one OpenSSH public key line, <c>type base64 [comment]</c> (the format of <c>.pub</c> files),
    /// or an RFC 4716 <c>---- BEGIN SSH2 PUBLIC KEY ----</c> block.
    /// </summary>
    /// <exception cref="SshKeyFormatException">The text is malformed, the base64 is invalid, or the line's type differs from the blob's.</exception>
    public static SshPublicKey Parse(string openSshLine) => Parse(openSshLine, out _);

    /// <summary>
    /// Parses one OpenSSH public key line or an RFC 4716 block and returns its comment (empty when
    /// there is none; for RFC 4716 the <c>Comment</c> header without its quotes).
    /// </summary>
    /// <exception cref="SshKeyFormatException">The text is malformed, the base64 is invalid, or the line's type differs from the blob's.</exception>
    public static SshPublicKey Parse(string openSshLine, out string comment)
    {
        ArgumentNullException.ThrowIfNull(openSshLine);
        if (Rfc4716PublicKey.LooksLikeRfc4716(openSshLine))
        {
            return Rfc4716PublicKey.Read(openSshLine, out comment, out _);
        }

        string[] parts = openSshLine.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw new SshKeyFormatException("a public key line needs a key type and base64 key data");
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException e)
        {
            throw new SshKeyFormatException("the public key data is not valid base64", e);
        }

        SshPublicKey key = FromBlob(blob);
        if (key.KeyType != parts[0])
        {
            throw new SshKeyFormatException($"the line says '{parts[0]}' but the key data is '{key.KeyType}'");
        }

        comment = parts.Length > 2 ? parts[2].Trim() : string.Empty;
        return key;
    }

    /// <summary>
    /// Reads a public key file: an RFC 4716 block (<c>ssh-keygen -e</c>), or else the first line that is
    /// neither empty nor a <c>#</c> comment, in OpenSSH format.
    /// </summary>
    /// <exception cref="SshKeyFormatException">The file holds no valid key; the message names the file.</exception>
    public static SshPublicKey Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text = File.ReadAllText(path);
        if (Rfc4716PublicKey.LooksLikeRfc4716(text))
        {
            try
            {
                return Rfc4716PublicKey.Read(text, out _, out _);
            }
            catch (SshKeyFormatException e)
            {
                throw new SshKeyFormatException($"{path}: {e.Message}", e);
            }
        }

        return ParseFirstLine(text.ReplaceLineEndings("\n").Split('\n'), path, Parse, "public key");
    }

    /// <summary>
    /// Parses the first line of <paramref name="lines"/> that is neither empty nor a <c>#</c> comment;
    /// errors name <paramref name="path"/>. Shared by public key and certificate files.
    /// </summary>
    internal static T ParseFirstLine<T>(IEnumerable<string> lines, string path, Func<string, T> parse, string what)
    {
        foreach (string line in lines)
        {
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            try
            {
                return parse(trimmed);
            }
            catch (SshKeyFormatException e)
            {
                throw new SshKeyFormatException($"{path}: {e.Message}", e);
            }
        }

        throw new SshKeyFormatException($"{path}: no {what} found");
    }

    /// <inheritdoc/>
    public bool Equals(SshPublicKey? other) => other is not null && _blob.AsSpan().SequenceEqual(other._blob);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SshPublicKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        HashCode hash = default;
        hash.AddBytes(_blob);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{KeyType} {GetFingerprint()}";
}
