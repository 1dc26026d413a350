using NSec.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>An <c>ssh-ed25519</c> public key (RFC 8709): blob = string type, string 32-byte key.</summary>
internal sealed class Ed25519PublicKey : SshPublicKey
{
    public const string TypeName = "ssh-ed25519";
    public const int KeySize = 32;
    private static readonly string[] Algorithms = [TypeName];

    private Ed25519PublicKey(byte[] blob, byte[] rawKey)
        : base(blob)
    {
        RawKey = rawKey;
    }

    /// <summary>The 32 key bytes.</summary>
    public byte[] RawKey { get; }

    public override string KeyType => TypeName;

    public override IReadOnlyList<string> SignatureAlgorithms => Algorithms;

    /// <summary>Creates the key from its 32 raw bytes.</summary>
    public static Ed25519PublicKey FromRaw(ReadOnlySpan<byte> rawKey)
    {
        if (rawKey.Length != KeySize)
        {
            throw new SshKeyFormatException($"an Ed25519 public key has {KeySize} bytes, not {rawKey.Length}");
        }

        using var buffer = new SshBuffer(64);
        SshWriter writer = buffer.Writer;
        writer.WriteString(TypeName);
        writer.WriteString(rawKey);
        return new Ed25519PublicKey(buffer.ToArray(), rawKey.ToArray());
    }

    /// <summary>Reads the fields after the type name.</summary>
    public static Ed25519PublicKey ReadFields(ref SshReader reader) => FromRaw(reader.ReadString());

    public override bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        if (!SshSignature.TryDecode(signatureBlob, out string algorithm, out ReadOnlySpan<byte> signature)
            || algorithm != TypeName
            || signature.Length != SignatureAlgorithm.Ed25519.SignatureSize)
        {
            return false;
        }

        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, RawKey, KeyBlobFormat.RawPublicKey, out PublicKey? key))
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key!, data, signature);
    }
}
