namespace Rx.Ssh.Keys;

/// <summary>
/// A private key that can sign for SSH (client authentication, server host keys).
/// Dispose it to clear the key material.
/// </summary>
public abstract class SshPrivateKey : IDisposable
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
