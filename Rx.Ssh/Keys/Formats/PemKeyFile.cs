using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// The PEM private key formats OpenSSL (and <c>ssh-keygen -m PEM/PKCS8</c>) writes:
/// <c>RSA PRIVATE KEY</c> (PKCS#1, RFC 8017), <c>EC PRIVATE KEY</c> (SEC1, RFC 5915),
/// <c>PRIVATE KEY</c> (PKCS#8, RFC 5208/5958) for RSA, EC and Ed25519,
/// <c>ENCRYPTED PRIVATE KEY</c> (PKCS#8 with PBES1/PBES2), and the legacy
/// <c>Proc-Type: 4,ENCRYPTED</c> / <c>DEK-Info</c> encryption of PKCS#1 and SEC1 blocks.
/// </summary>
internal static class PemKeyFile
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string Ed25519Oid = "1.3.101.112";

    /// <summary>Reads <paramref name="pem"/>; the caller zeroes <see cref="PemText.Data"/>.</summary>
    /// <exception cref="SshKeyLimitException">The key asks for more key derivation work than <paramref name="limits"/> allow.</exception>
    public static SshPrivateKey Read(PemText pem, string? passphrase, SshKeyLoadLimits limits, CancellationToken cancellationToken)
    {
        switch (pem.Label)
        {
            case OpenSshKeyFile.PemLabel:
                return OpenSshKeyFile.Read(pem.Data, passphrase, limits, cancellationToken);
            case "RSA PRIVATE KEY":
            case "EC PRIVATE KEY":
                return ReadTraditional(pem, passphrase);
            case "PRIVATE KEY":
                return ReadPkcs8(pem.Data);
            case "ENCRYPTED PRIVATE KEY":
                return ReadEncryptedPkcs8(pem.Data, passphrase, limits, cancellationToken);
            case "DSA PRIVATE KEY":
                throw new SshKeyFormatException("DSA keys (ssh-dss) are not supported");
            default:
                throw new SshKeyFormatException($"unsupported PEM block '{pem.Label}'");
        }
    }

    private static SshPrivateKey ReadTraditional(PemText pem, string? passphrase)
    {
        bool rsa = pem.Label == "RSA PRIVATE KEY";
        if (!pem.Headers.TryGetValue("Proc-Type", out string? procType) || !procType.Contains("ENCRYPTED", StringComparison.OrdinalIgnoreCase))
        {
            return ImportTraditional(rsa, pem.Data, pem.Label);
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            throw new SshKeyPassphraseException("the private key is encrypted; a passphrase is needed");
        }

        byte[] plain = LegacyPemDecrypt(pem, passphrase);
        try
        {
            return ImportTraditional(rsa, plain, pem.Label);
        }
        catch (SshKeyFormatException e)
        {
            // A wrong passphrase that slips past the padding check yields garbage DER.
            throw new SshKeyPassphraseException("wrong passphrase for the private key", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static SshPrivateKey ImportTraditional(bool rsa, ReadOnlySpan<byte> der, string label)
    {
        try
        {
            if (rsa)
            {
                var key = RSA.Create();
                try
                {
                    key.ImportRSAPrivateKey(der, out int read);
                    RequireAll(read, der.Length, label);
                    return RsaPrivateKey.FromRsa(key);
                }
                catch
                {
                    key.Dispose();
                    throw;
                }
            }

            var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportECPrivateKey(der, out int read);
                RequireAll(read, der.Length, label);
            }
            catch
            {
                ecdsa.Dispose();
                throw;
            }

            return EcdsaPrivateKey.FromECDsa(ecdsa);
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            // An unknown curve OID is PlatformNotSupportedException from .NET: still a bad key file, not a platform problem.
            throw new SshKeyFormatException($"the '{label}' block is not a valid key: {e.Message}", e);
        }
    }

    private static SshPrivateKey ReadPkcs8(ReadOnlySpan<byte> der)
    {
        string oid;
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            AsnReader info = reader.ReadSequence();
            info.ReadInteger();
            AsnReader algorithm = info.ReadSequence();
            oid = algorithm.ReadObjectIdentifier();
            if (oid == Ed25519Oid)
            {
                byte[] wrapped = info.ReadOctetString();
                try
                {
                    var inner = new AsnReader(wrapped, AsnEncodingRules.DER);
                    byte[] seed = inner.ReadOctetString();
                    try
                    {
                        return Ed25519PrivateKey.FromSeed(seed);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(seed);
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(wrapped);
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new SshKeyFormatException("the PKCS#8 'PRIVATE KEY' block is not valid DER", e);
        }

        try
        {
            switch (oid)
            {
                case RsaOid:
                    var rsa = RSA.Create();
                    try
                    {
                        rsa.ImportPkcs8PrivateKey(der, out _);
                        return RsaPrivateKey.FromRsa(rsa);
                    }
                    catch
                    {
                        rsa.Dispose();
                        throw;
                    }

                case EcOid:
                    var ecdsa = ECDsa.Create();
                    try
                    {
                        ecdsa.ImportPkcs8PrivateKey(der, out _);
                    }
                    catch
                    {
                        ecdsa.Dispose();
                        throw;
                    }

                    return EcdsaPrivateKey.FromECDsa(ecdsa);
                default:
                    throw new SshKeyFormatException($"unsupported PKCS#8 key algorithm {oid}");
            }
        }
        catch (Exception e) when (e is CryptographicException or PlatformNotSupportedException)
        {
            throw new SshKeyFormatException($"the PKCS#8 key is not valid: {e.Message}", e);
        }
    }

    private static SshPrivateKey ReadEncryptedPkcs8(byte[] der, string? passphrase, SshKeyLoadLimits limits, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new SshKeyPassphraseException("the private key is encrypted; a passphrase is needed");
        }

        Org.BouncyCastle.Asn1.Pkcs.EncryptedPrivateKeyInfo info;
        try
        {
            info = Org.BouncyCastle.Asn1.Pkcs.EncryptedPrivateKeyInfo.GetInstance(der);
            Pkcs8KdfCheck.Check(info, limits);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            throw new SshKeyFormatException("the 'ENCRYPTED PRIVATE KEY' block is not valid DER", e);
        }

        // The KDF runs to completion once started (BouncyCastle cannot be interrupted); the limits bound it.
        cancellationToken.ThrowIfCancellationRequested();
        byte[] plain;
        char[] password = passphrase.ToCharArray();
        try
        {
            plain = Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(password, info).GetEncoded();
        }
        catch (Exception e) when (e is Org.BouncyCastle.Crypto.InvalidCipherTextException or ArgumentException or InvalidOperationException or IOException
            or Org.BouncyCastle.Security.SecurityUtilityException or Org.BouncyCastle.Crypto.CryptoException)
        {
            throw new SshKeyPassphraseException("wrong passphrase for the private key (or unsupported PKCS#8 encryption)", e);
        }
        finally
        {
            Array.Clear(password);
        }

        try
        {
            return ReadPkcs8(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// RFC 1421-style encryption: <c>DEK-Info: cipher,hex-iv</c>; the key is OpenSSL's
    /// EVP_BytesToKey with MD5, one iteration, salted with the first 8 bytes of the IV.
    /// </summary>
    private static byte[] LegacyPemDecrypt(PemText pem, string passphrase)
    {
        if (!pem.Headers.TryGetValue("DEK-Info", out string? dekInfo) || dekInfo.Split(',') is not [string cipherName, string ivHex])
        {
            throw new SshKeyFormatException("the encrypted PEM block has no valid DEK-Info header");
        }

        (int keyLength, bool tripleDes) = cipherName.Trim().ToUpperInvariant() switch
        {
            "AES-128-CBC" => (16, false),
            "AES-192-CBC" => (24, false),
            "AES-256-CBC" => (32, false),
            "DES-EDE3-CBC" => (24, true),
            _ => throw new SshKeyFormatException($"unsupported PEM encryption '{cipherName}'"),
        };

        byte[] iv;
        try
        {
            iv = Convert.FromHexString(ivHex.Trim());
        }
        catch (FormatException e)
        {
            throw new SshKeyFormatException("the DEK-Info IV is not hexadecimal", e);
        }

        if (iv.Length != (tripleDes ? 8 : 16))
        {
            throw new SshKeyFormatException("the DEK-Info IV has the wrong length");
        }

        byte[] key = BytesToKey(passphrase, iv.AsSpan(0, 8), keyLength);
        try
        {
#pragma warning disable CA5350 // Reading legacy 3DES-encrypted keys is interoperability, not a choice.
            using SymmetricAlgorithm cipher = tripleDes ? TripleDES.Create() : Aes.Create();
#pragma warning restore CA5350
            cipher.SetKey(key);
            try
            {
                return cipher.DecryptCbc(pem.Data, iv, PaddingMode.PKCS7);
            }
            catch (CryptographicException e)
            {
                throw new SshKeyPassphraseException("wrong passphrase for the private key", e);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] BytesToKey(string passphrase, ReadOnlySpan<byte> salt, int length)
    {
        byte[] password = Encoding.UTF8.GetBytes(passphrase);
        byte[] key = new byte[length];
        byte[] input = new byte[16 + password.Length + salt.Length];
        Span<byte> digest = stackalloc byte[16];
        try
        {
            int produced = 0;
            int previous = 0;
            while (produced < length)
            {
                digest[..previous].CopyTo(input);
                password.CopyTo(input, previous);
                salt.CopyTo(input.AsSpan(previous + password.Length));
#pragma warning disable CA5351 // EVP_BytesToKey is defined with MD5; needed to read legacy files.
                MD5.HashData(input.AsSpan(0, previous + password.Length + salt.Length), digest);
#pragma warning restore CA5351
                int take = Math.Min(16, length - produced);
                digest[..take].CopyTo(key.AsSpan(produced));
                produced += take;
                previous = 16;
            }

            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(digest);
        }
    }

    private static void RequireAll(int read, int length, string label)
    {
        if (read != length)
        {
            throw new SshKeyFormatException($"the '{label}' block has {length - read} trailing bytes");
        }
    }
}
