using System.Text;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// PEM text (RFC 7468), tolerant of the RFC 1421 headers legacy encrypted keys carry
/// (<c>Proc-Type</c>, <c>DEK-Info</c>) between the BEGIN line and the base64.
/// </summary>
internal sealed class PemText
{
    private PemText(string label, IReadOnlyDictionary<string, string> headers, byte[] data)
    {
        Label = label;
        Headers = headers;
        Data = data;
    }

    /// <summary>The label between <c>BEGIN</c> and the dashes (<c>OPENSSH PRIVATE KEY</c>).</summary>
    public string Label { get; }

    /// <summary>Headers before the base64 (case-sensitive names as written).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The decoded bytes. The caller zeroes them when they hold secrets.</summary>
    public byte[] Data { get; }

    /// <summary>Whether <paramref name="text"/> contains a PEM BEGIN line.</summary>
    public static bool LooksLikePem(string text) => text.Contains("-----BEGIN ", StringComparison.Ordinal);

    /// <summary>Decodes the first PEM block in <paramref name="text"/>.</summary>
    public static PemText Decode(string text)
    {
        int begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (begin < 0)
        {
            throw new SshKeyFormatException("no PEM '-----BEGIN' line found");
        }

        int labelStart = begin + "-----BEGIN ".Length;
        int labelEnd = text.IndexOf("-----", labelStart, StringComparison.Ordinal);
        int lineEnd = text.IndexOf('\n', labelStart);
        if (labelEnd < 0 || (lineEnd >= 0 && labelEnd > lineEnd))
        {
            throw new SshKeyFormatException("the PEM BEGIN line is malformed");
        }

        string label = text[labelStart..labelEnd];
        string endLine = "-----END " + label + "-----";
        // The END line comes after the BEGIN line's closing dashes (not overlapping them: '-----BEGIN X-----END X-----').
        int end = text.IndexOf(endLine, labelEnd + 5, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new SshKeyFormatException($"the PEM block '{label}' has no END line (truncated file?)");
        }

        string body = text[(labelEnd + 5)..end];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var base64 = new StringBuilder(body.Length);
        bool inHeaders = true;
        foreach (string rawLine in body.Split('\n'))
        {
            string line = rawLine.Trim();
            if (inHeaders && line.Contains(':', StringComparison.Ordinal))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                continue;
            }

            if (line.Length > 0)
            {
                inHeaders = false;
            }

            base64.Append(line);
        }

        try
        {
            return new PemText(label, headers, Convert.FromBase64String(base64.ToString()));
        }
        catch (FormatException e)
        {
            throw new SshKeyFormatException($"the PEM block '{label}' is not valid base64", e);
        }
    }

    /// <summary>Encodes <paramref name="data"/> as a PEM block with lines of <paramref name="lineLength"/> characters.</summary>
    public static string Encode(string label, ReadOnlySpan<byte> data, int lineLength = 64)
    {
        string base64 = Convert.ToBase64String(data);
        var text = new StringBuilder(base64.Length + (base64.Length / lineLength) + 80);
        text.Append("-----BEGIN ").Append(label).Append("-----\n");
        for (int i = 0; i < base64.Length; i += lineLength)
        {
            text.Append(base64.AsSpan(i, Math.Min(lineLength, base64.Length - i))).Append('\n');
        }

        text.Append("-----END ").Append(label).Append("-----\n");
        return text.ToString();
    }
}
