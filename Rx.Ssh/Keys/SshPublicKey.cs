namespace Rx.Ssh.Keys;

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
