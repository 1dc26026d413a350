using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>Builds and splits SSH signature blobs (<c>string algorithm, string signature</c>, RFC 4253 section 6.6).</summary>
internal static class SshSignature
{
    /// <summary>Encodes <paramref name="signature"/> under <paramref name="algorithm"/>.</summary>
    public static byte[] Encode(string algorithm, ReadOnlySpan<byte> signature)
    {
        using var buffer = new SshBuffer(signature.Length + algorithm.Length + 8);
        SshWriter writer = buffer.Writer;
        writer.WriteString(algorithm);
        writer.WriteString(signature);
        return buffer.ToArray();
    }

    /// <summary>
    /// Splits a signature blob. Returns false when it is not well formed (wrong lengths, trailing
    /// bytes): a malformed signature is a failed verification, not an exception.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> blob, out string algorithm, out ReadOnlySpan<byte> signature)
    {
        algorithm = string.Empty;
        signature = default;
        try
        {
            var reader = new SshReader(blob);
            algorithm = reader.ReadAsciiString();
            signature = reader.ReadString();
            reader.ReadEnd();
            return true;
        }
        catch (SshFormatException)
        {
            return false;
        }
    }
}
