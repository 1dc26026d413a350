using System.Text;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys.Certificates;

/// <summary>Writes and signs the certificate blob (PROTOCOL.certkeys layout) for <see cref="SshCertificateBuilder"/>.</summary>
internal static class SshCertificateWriter
{
    /// <summary>Encodes the certificate blob; <see cref="SshCertificateBuilder"/> signs it.</summary>
    public static byte[] Encode(SshCertificateBuilder b, SshPublicKey key, SshPrivateKey ca, byte[] nonce)
    {
        using var buffer = new SshBuffer(1024);
        SshWriter w = buffer.Writer;
        w.WriteString(key.KeyType + SshCertificate.Suffix);
        w.WriteString(nonce);
        var keyReader = new SshReader(key.Blob.Span);
        keyReader.ReadString();
        w.WriteRaw(key.Blob.Span[(key.Blob.Length - keyReader.Remaining)..]);
        w.WriteUInt64(b.Serial);
        w.WriteUInt32((uint)b.Type);
        w.WriteString(b.KeyId);
        using (var principals = new SshBuffer())
        {
            SshWriter pw = principals.Writer;
            foreach (string principal in b.Principals)
            {
                pw.WriteString(principal);
            }

            w.WriteString(principals.WrittenSpan);
        }

        w.WriteUInt64(ToSeconds(b.ValidAfter));
        w.WriteUInt64(ToSeconds(b.ValidBefore));
        w.WriteString(EncodeOptions(b.CriticalOptions));
        w.WriteString(EncodeOptions(b.Extensions));
        w.WriteString(ReadOnlySpan<byte>.Empty);
        w.WriteString(ca.PublicKey.Blob.Span);
        string algorithm = ca.SignatureAlgorithms[0];
        byte[] signature = ca.Sign(algorithm, buffer.WrittenSpan);
        w.WriteString(signature);
        return buffer.ToArray();
    }

    private static ulong ToSeconds(DateTimeOffset time) =>
        time == DateTimeOffset.MaxValue ? ulong.MaxValue
        : time <= DateTimeOffset.UnixEpoch ? 0
        : (ulong)time.ToUnixTimeSeconds();

    private static byte[] EncodeOptions(IReadOnlyDictionary<string, string> options)
    {
        using var buffer = new SshBuffer();
        SshWriter w = buffer.Writer;
        foreach (KeyValuePair<string, string> option in options.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            w.WriteString(option.Key);
            if (option.Value.Length == 0)
            {
                w.WriteString(ReadOnlySpan<byte>.Empty);
            }
            else
            {
                byte[] value = Encoding.UTF8.GetBytes(option.Value);
                using var inner = new SshBuffer(value.Length + 4);
                inner.Writer.WriteString(value);
                w.WriteString(inner.WrittenSpan);
            }
        }

        return buffer.ToArray();
    }
}
