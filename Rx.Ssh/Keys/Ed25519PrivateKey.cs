using System.Security.Cryptography;
using NSec.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>An <c>ssh-ed25519</c> private key held by NSec (libsodium).</summary>
internal sealed class Ed25519PrivateKey : SshPrivateKey
{
    public const int SeedSize = 32;
    private readonly Key _key;
    private readonly Ed25519PublicKey _publicKey;

    private Ed25519PrivateKey(Key key)
    {
        _key = key;
        _publicKey = Ed25519PublicKey.FromRaw(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public override SshPublicKey PublicKey => _publicKey;

    /// <summary>Imports the 32-byte seed (what RFC 8032 calls the private key).</summary>
    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new SshKeyFormatException($"an Ed25519 private key has a {SeedSize}-byte seed, not {seed.Length} bytes");
        }

        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (!Key.TryImport(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, out Key? key, in parameters))
        {
            throw new SshKeyFormatException("the Ed25519 private key is not valid");
        }

        return new Ed25519PrivateKey(key!);
    }

    /// <summary>Creates a new random key.</summary>
    public static Ed25519PrivateKey Generate()
    {
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        return new Ed25519PrivateKey(Key.Create(SignatureAlgorithm.Ed25519, in parameters));
    }

    /// <summary>
    /// Reads the OpenSSH private fields after the type name: string public key (32),
    /// string private key (64 = seed || public key). The halves must agree.
    /// </summary>
    public static Ed25519PrivateKey ReadOpenSshFields(ref SshReader reader)
    {
        ReadOnlySpan<byte> publicKey = reader.ReadString();
        ReadOnlySpan<byte> secret = reader.ReadString();
        if (publicKey.Length != Ed25519PublicKey.KeySize || secret.Length != SeedSize + Ed25519PublicKey.KeySize)
        {
            throw new SshKeyFormatException("the Ed25519 private key fields have the wrong sizes");
        }

        Ed25519PrivateKey key = FromSeed(secret[..SeedSize]);
        if (!key._publicKey.RawKey.AsSpan().SequenceEqual(publicKey) || !secret[SeedSize..].SequenceEqual(publicKey))
        {
            key.Dispose();
            throw new SshKeyFormatException("the Ed25519 private key does not match its public key");
        }

        return key;
    }

    internal override void WriteOpenSshFields(ref SshWriter writer)
    {
        byte[] seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        byte[] secret = new byte[SeedSize + Ed25519PublicKey.KeySize];
        try
        {
            seed.CopyTo(secret, 0);
            _publicKey.RawKey.CopyTo(secret, SeedSize);
            writer.WriteString(_publicKey.RawKey);
            writer.WriteString(secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    internal override void WriteCertifiedFields(ref SshWriter writer) => WriteOpenSshFields(ref writer);

    /// <summary>Reads PuTTY's private field (string seed, 32 bytes); it must match <paramref name="publicKey"/>.</summary>
    public static Ed25519PrivateKey ReadPuttyFields(Ed25519PublicKey publicKey, ref SshReader reader)
    {
        Ed25519PrivateKey key = FromSeed(reader.ReadString());
        if (!key._publicKey.RawKey.AsSpan().SequenceEqual(publicKey.RawKey))
        {
            key.Dispose();
            throw new SshKeyFormatException("the Ed25519 private key does not match its public key");
        }

        return key;
    }

    internal override void WritePuttyFields(ref SshWriter writer)
    {
        byte[] seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            writer.WriteString(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public override byte[] Sign(string signatureAlgorithm, ReadOnlySpan<byte> data)
    {
        ThrowIfUnsupported(signatureAlgorithm);
        byte[] signature = SignatureAlgorithm.Ed25519.Sign(_key, data);
        return SshSignature.Encode(Ed25519PublicKey.TypeName, signature);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }

        base.Dispose(disposing);
    }
}
