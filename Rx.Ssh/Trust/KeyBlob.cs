using Rx.Ssh.Wire;

namespace Rx.Ssh.Trust;

/// <summary>Helpers for key blobs as they appear in OpenSSH text files.</summary>
internal static class KeyBlob
{
    /// <summary>
    /// Decodes <paramref name="base64"/> into a blob whose leading SSH string equals
    /// <paramref name="keyType"/>. Returns an error message instead of throwing.
    /// </summary>
    public static string? TryDecode(string keyType, ReadOnlySpan<char> base64, out byte[] blob)
    {
        blob = [];
        if (keyType.Length == 0)
        {
            return "missing key type";
        }

        if (base64.Length == 0)
        {
            return "missing key data";
        }

        byte[] buffer = new byte[((base64.Length / 4) + 1) * 3];
        if (!Convert.TryFromBase64Chars(base64, buffer, out int written) || written == 0)
        {
            return "key data is not valid base64";
        }

        blob = buffer.AsSpan(0, written).ToArray();
        string? inner;
        try
        {
            var reader = new SshReader(blob);
            inner = reader.ReadAsciiString();
        }
        catch (SshFormatException)
        {
            inner = null;
        }

        if (!string.Equals(inner, keyType, StringComparison.Ordinal))
        {
            return $"key type '{keyType}' does not match the key data";
        }

        return null;
    }

    /// <summary>
    /// The family OpenSSH compares when deciding whether a host has a key "of this type":
    /// the ECDSA curves form one family, every other type is its own.
    /// </summary>
    public static string Family(string keyType)
    {
        if (keyType.StartsWith("ecdsa-sha2-", StringComparison.Ordinal))
        {
            return "ecdsa";
        }

        if (keyType.StartsWith("sk-ecdsa-sha2-", StringComparison.Ordinal))
        {
            return "sk-ecdsa";
        }

        return keyType;
    }

    /// <summary>Splits off the next whitespace-separated token of <paramref name="text"/>.</summary>
    public static ReadOnlySpan<char> NextToken(ref ReadOnlySpan<char> text)
    {
        text = text.TrimStart();
        int end = text.IndexOfAny(' ', '\t');
        if (end < 0)
        {
            end = text.Length;
        }

        ReadOnlySpan<char> token = text[..end];
        text = text[end..].TrimStart();
        return token;
    }
}
