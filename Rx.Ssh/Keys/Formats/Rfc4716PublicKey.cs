using System.Text;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// The SSH public key file format of RFC 4716 (what <c>ssh-keygen -e</c> writes):
/// <code>
/// ---- BEGIN SSH2 PUBLIC KEY ----
/// Header-Tag: value          (a line ending in '\' continues on the next line)
/// base64 of the key blob     (any number of lines)
/// ---- END SSH2 PUBLIC KEY ----
/// </code>
/// The <c>Comment</c> header (value optionally in double quotes) is the key's comment.
/// </summary>
internal static class Rfc4716PublicKey
{
    public const string BeginLine = "---- BEGIN SSH2 PUBLIC KEY ----";
    public const string EndLine = "---- END SSH2 PUBLIC KEY ----";

    /// <summary>RFC 4716 limits every line to 72 8-bit bytes.</summary>
    private const int MaxLineLength = 72;
    private const int Base64LineLength = 70;

    /// <summary>True when the first non-blank line of <paramref name="text"/> is the BEGIN marker.</summary>
    public static bool LooksLikeRfc4716(string text) =>
        text.AsSpan().TrimStart().StartsWith(BeginLine, StringComparison.Ordinal);

    /// <summary>Decodes the first RFC 4716 key in <paramref name="text"/>.</summary>
    /// <exception cref="SshKeyFormatException">The markers, headers or base64 are malformed, or the blob is not a supported key.</exception>
    public static SshPublicKey Read(string text, out string comment, out IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        int i = 0;
        while (i < lines.Length && lines[i].Trim().Length == 0)
        {
            i++;
        }

        if (i == lines.Length || lines[i].Trim() != BeginLine)
        {
            throw new SshKeyFormatException($"an RFC 4716 public key must start with '{BeginLine}'");
        }

        i++;
        var headerList = new List<KeyValuePair<string, string>>();
        comment = string.Empty;
        var body = new StringBuilder();
        bool ended = false;
        for (; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd();
            if (line == EndLine)
            {
                ended = true;
                break;
            }

            if (line.Contains(':', StringComparison.Ordinal) && body.Length == 0)
            {
                // A header, possibly continued over following lines ending in '\'.
                var logical = new StringBuilder(line);
                while (logical.Length > 0 && logical[^1] == '\\')
                {
                    logical.Length--;
                    if (++i == lines.Length)
                    {
                        throw new SshKeyFormatException("the RFC 4716 public key ends inside a continued header line");
                    }

                    logical.Append(lines[i].TrimEnd());
                }

                string header = logical.ToString();
                int colon = header.IndexOf(':', StringComparison.Ordinal);
                string tag = header[..colon];
                if (tag.Length == 0 || tag.Length > 64 || tag.Any(c => c <= ' ' || c > '~'))
                {
                    throw new SshKeyFormatException($"the RFC 4716 public key has an invalid header tag '{tag}'");
                }

                string value = header[(colon + 1)..].Trim();
                headerList.Add(new(tag, value));
                if (tag.Equals("Comment", StringComparison.OrdinalIgnoreCase))
                {
                    comment = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
                }

                continue;
            }

            body.Append(line.Trim());
        }

        if (!ended)
        {
            throw new SshKeyFormatException($"the RFC 4716 public key has no '{EndLine}' line (truncated?)");
        }

        if (body.Length == 0)
        {
            throw new SshKeyFormatException("the RFC 4716 public key has no key data between its markers");
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(body.ToString());
        }
        catch (FormatException e)
        {
            throw new SshKeyFormatException("the RFC 4716 public key data is not valid base64", e);
        }

        headers = headerList;
        return SshPublicKey.FromBlob(blob);
    }

    /// <summary>Encodes <paramref name="key"/> with an optional Comment header, lines of at most 72 characters.</summary>
    public static string Write(SshPublicKey key, string? comment)
    {
        var text = new StringBuilder();
        text.Append(BeginLine).Append('\n');
        if (!string.IsNullOrEmpty(comment))
        {
            if (comment.Any(c => c is '\r' or '\n'))
            {
                throw new ArgumentException("an RFC 4716 comment cannot contain line breaks", nameof(comment));
            }

            AppendHeader(text, "Comment: \"" + comment + "\"");
        }

        string base64 = Convert.ToBase64String(key.Blob.Span);
        for (int i = 0; i < base64.Length; i += Base64LineLength)
        {
            text.Append(base64, i, Math.Min(Base64LineLength, base64.Length - i)).Append('\n');
        }

        text.Append(EndLine).Append('\n');
        return text.ToString();
    }

    /// <summary>Appends a header, split into lines of at most 72 bytes that end in '\' where they continue.</summary>
    private static void AppendHeader(StringBuilder text, string header)
    {
        int start = 0;
        while (true)
        {
            // Take as many characters as fit in 71 bytes (leaving room for the '\').
            int end = start;
            int bytes = 0;
            while (end < header.Length)
            {
                int width = char.IsSurrogatePair(header, end) ? 2 : 1;
                int size = Encoding.UTF8.GetByteCount(header.AsSpan(end, width));
                int limit = end + width == header.Length ? MaxLineLength : MaxLineLength - 1;
                if (bytes + size > limit)
                {
                    break;
                }

                bytes += size;
                end += width;
            }

            if (end == header.Length)
            {
                text.Append(header, start, end - start).Append('\n');
                return;
            }

            text.Append(header, start, end - start).Append("\\\n");
            start = end;
        }
    }
}
