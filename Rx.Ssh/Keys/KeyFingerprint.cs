using System.Security.Cryptography;
using System.Text;

namespace Rx.Ssh.Keys;

/// <summary>Fingerprints in OpenSSH's notation.</summary>
internal static class KeyFingerprint
{
    /// <summary><c>SHA256:</c> followed by unpadded base64 of SHA-256 of the blob.</summary>
    public static string Sha256(ReadOnlySpan<byte> blob)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(blob, hash);
        return "SHA256:" + Convert.ToBase64String(hash).TrimEnd('=');
    }

    /// <summary><c>MD5:</c> followed by colon-separated lowercase hex of MD5 of the blob.</summary>
    public static string Md5(ReadOnlySpan<byte> blob)
    {
        Span<byte> hash = stackalloc byte[16];
#pragma warning disable CA5351 // MD5 fingerprints are a display format, not a security decision.
        MD5.HashData(blob, hash);
#pragma warning restore CA5351
        var text = new StringBuilder("MD5:");
        for (int i = 0; i < hash.Length; i++)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
