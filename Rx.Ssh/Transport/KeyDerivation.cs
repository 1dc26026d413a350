using System.Security.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Transport;

/// <summary>Key derivation of RFC 4253 section 7.2: HASH(K || H || letter || session_id), extended as needed.</summary>
internal static class KeyDerivation
{
    public static byte[] Derive(HashAlgorithmName hash, ReadOnlySpan<byte> encodedSecret, ReadOnlySpan<byte> exchangeHash, char letter, ReadOnlySpan<byte> sessionId, int size)
    {
        byte[] result = new byte[size];
        if (size == 0)
        {
            return result;
        }

        using var h = IncrementalHash.CreateHash(hash);
        h.AppendData(encodedSecret);
        h.AppendData(exchangeHash);
        h.AppendData([(byte)letter]);
        h.AppendData(sessionId);
        byte[] block = h.GetHashAndReset();
        int filled = Math.Min(block.Length, size);
        block.AsSpan(0, filled).CopyTo(result);
        while (filled < size)
        {
            h.AppendData(encodedSecret);
            h.AppendData(exchangeHash);
            h.AppendData(result.AsSpan(0, filled));
            CryptographicOperations.ZeroMemory(block);
            block = h.GetHashAndReset();
            int n = Math.Min(block.Length, size - filled);
            block.AsSpan(0, n).CopyTo(result.AsSpan(filled));
            filled += n;
        }

        CryptographicOperations.ZeroMemory(block);
        return result;
    }

    /// <summary>Encodes the shared secret K as the hash input: mpint, or string for PQ hybrids.</summary>
    public static byte[] EncodeSecret(ReadOnlySpan<byte> secret, bool asString)
    {
        using var buffer = SshBuffer.ForSecret(secret.Length + 8);
        if (asString)
        {
            buffer.Writer.WriteString(secret);
        }
        else
        {
            buffer.Writer.WriteMPInt(secret);
        }

        return buffer.ToArray();
    }
}
