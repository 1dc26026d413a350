using System.Buffers.Binary;
using Rx.Ssh.Keys;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Keys.Certificates;

/// <summary>
/// Builds hostile certificate blobs whose CA key is a certificate whose CA key is a certificate...,
/// <c>depth</c> levels deep (depth 1 is an ordinary, unsigned certificate). Built in one pass, so
/// even thousands of levels cost the test nothing.
/// </summary>
internal static class NestedCertificate
{
    private const string CertificateType = "ssh-ed25519-cert-v01@openssh.com";

    /// <summary>Bytes one level adds around the level inside it.</summary>
    public static int BytesPerLevel => Prefix().Length + 4 + Suffix.Length;

    private static readonly byte[] Suffix = [0, 0, 0, 0]; // string signature (empty)

    /// <summary>The blob, outermost certificate first; the innermost CA key is <paramref name="innerKey"/>.</summary>
    public static byte[] Build(int depth, SshPublicKey innerKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        byte[] prefix = Prefix();
        byte[] inner = innerKey.Blob.ToArray();
        int[] lengths = new int[depth + 1]; // lengths[i]: the blob of i levels
        lengths[0] = inner.Length;
        for (int i = 1; i <= depth; i++)
        {
            lengths[i] = checked(prefix.Length + 4 + lengths[i - 1] + Suffix.Length);
        }

        byte[] blob = new byte[lengths[depth]];
        int at = 0;
        for (int level = depth; level >= 1; level--)
        {
            prefix.CopyTo(blob, at);
            at += prefix.Length;
            BinaryPrimitives.WriteUInt32BigEndian(blob.AsSpan(at), (uint)lengths[level - 1]);
            at += 4;
        }

        inner.CopyTo(blob, at);
        at += inner.Length;
        for (int level = 1; level <= depth; level++)
        {
            Suffix.CopyTo(blob, at);
            at += Suffix.Length;
        }

        return blob;
    }

    /// <summary>Every certificate field before the CA key (PROTOCOL.certkeys), for a host certificate of a zero Ed25519 key.</summary>
    private static byte[] Prefix()
    {
        using var buffer = new SshBuffer();
        SshWriter w = buffer.Writer;
        w.WriteString(CertificateType);
        w.WriteString(ReadOnlySpan<byte>.Empty); // nonce
        w.WriteString(new byte[32]); // pk
        w.WriteUInt64(1); // serial
        w.WriteUInt32(2); // host
        w.WriteString(ReadOnlySpan<byte>.Empty); // key id
        w.WriteString(ReadOnlySpan<byte>.Empty); // principals
        w.WriteUInt64(0); // valid after
        w.WriteUInt64(ulong.MaxValue); // valid before
        w.WriteString(ReadOnlySpan<byte>.Empty); // critical options
        w.WriteString(ReadOnlySpan<byte>.Empty); // extensions
        w.WriteString(ReadOnlySpan<byte>.Empty); // reserved
        return buffer.ToArray();
    }
}
