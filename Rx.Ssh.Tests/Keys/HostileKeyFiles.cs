using System.Buffers.Binary;
using System.Formats.Asn1;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Formats;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Keys;

/// <summary>Encrypted key files whose key derivation parameters ask for too much work.</summary>
internal static class HostileKeyFiles
{
    public const string Passphrase = "pw";

    /// <summary>An encrypted OpenSSH key (ed25519) whose bcrypt rounds field says <paramref name="rounds"/>.</summary>
    public static string OpenSshWithRounds(uint rounds)
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        PemText pem = PemText.Decode(key.ToOpenSshPrivateKey(Passphrase));
        byte[] data = pem.Data;
        const int magic = 15; // "openssh-key-v1\0"
        var reader = new SshReader(data.AsSpan(magic));
        reader.ReadString(); // cipher
        reader.ReadString(); // kdf name
        int options = magic + reader.Position + 4;
        int saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(options));
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(options + 4 + saltLength), rounds);
        return PemText.Encode(OpenSshKeyFile.PemLabel, data, lineLength: 70);
    }

    /// <summary>An encrypted PKCS#8 block with PBES2 + PBKDF2 of <paramref name="iterations"/> (the ciphertext is random).</summary>
    public static string Pkcs8WithPbkdf2(long iterations) => EncryptedPkcs8(kdf =>
    {
        kdf.WriteObjectIdentifier("1.2.840.113549.1.5.12"); // PBKDF2
        using (kdf.PushSequence())
        {
            kdf.WriteOctetString(new byte[16]);
            kdf.WriteInteger(iterations);
            using (kdf.PushSequence())
            {
                kdf.WriteObjectIdentifier("1.2.840.113549.2.9"); // hmacWithSHA256
                kdf.WriteNull();
            }
        }
    });

    /// <summary>An encrypted PKCS#8 block with PBES2 + scrypt (N, r, p) (the ciphertext is random).</summary>
    public static string Pkcs8WithScrypt(long n, long r, long p) => EncryptedPkcs8(kdf =>
    {
        kdf.WriteObjectIdentifier("1.3.6.1.4.1.11591.4.11"); // scrypt
        using (kdf.PushSequence())
        {
            kdf.WriteOctetString(new byte[16]);
            kdf.WriteInteger(n);
            kdf.WriteInteger(r);
            kdf.WriteInteger(p);
        }
    });

    private static string EncryptedPkcs8(Action<AsnWriter> writeKdf)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.5.13"); // PBES2
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writeKdf(writer);
                    }

                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("2.16.840.1.101.3.4.1.42"); // aes256-CBC
                        writer.WriteOctetString(new byte[16]);
                    }
                }
            }

            writer.WriteOctetString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        }

        return PemText.Encode("ENCRYPTED PRIVATE KEY", writer.Encode());
    }
}
