namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>A key pair made by <c>ssh-keygen</c> for this test run, in OpenSSH's file formats.</summary>
/// <param name="Type">The key type.</param>
/// <param name="PrivateKeyPath">The private key file (OpenSSH format, mode 0600).</param>
/// <param name="Passphrase">The passphrase protecting the private key file, or null when it has none.</param>
/// <param name="PublicKeyLine">The public key line: <c>type base64 comment</c>.</param>
public sealed record TestKey(TestKeyType Type, string PrivateKeyPath, string? Passphrase, string PublicKeyLine)
{
    /// <summary>The public key file (<see cref="PrivateKeyPath"/> + <c>.pub</c>).</summary>
    public string PublicKeyPath => PrivateKeyPath + ".pub";

    /// <summary>The key type name from <see cref="PublicKeyLine"/> (<c>ssh-ed25519</c>, ...).</summary>
    public string SshKeyType => Type.SshName();

    /// <summary>The public key blob, base64 as in <see cref="PublicKeyLine"/>.</summary>
    public string PublicKeyBase64 => PublicKeyLine.Split(' ')[1];

    /// <summary>The public key blob (RFC 4253 section 6.6 encoding).</summary>
    public byte[] PublicKeyBlob => Convert.FromBase64String(PublicKeyBase64);

    /// <summary>The private key file's text.</summary>
    public string ReadPrivateKeyText() => File.ReadAllText(PrivateKeyPath);

    /// <summary>The private key file's bytes.</summary>
    public byte[] ReadPrivateKeyBytes() => File.ReadAllBytes(PrivateKeyPath);

    /// <inheritdoc/>
    public override string ToString() => $"{Type} ({PrivateKeyPath})";
}
