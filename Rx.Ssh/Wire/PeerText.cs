using System.Globalization;
using System.Text;

namespace Rx.Ssh.Wire;

/// <summary>
/// Makes text the peer chose (DISCONNECT descriptions, DEBUG messages, banners, identification
/// comments) safe to put into exception messages, logs and terminals: control characters (C0, DEL,
/// C1), Unicode format characters (bidirectional overrides, zero-width characters) and line or
/// paragraph separators are written as visible escapes instead of being passed on, so a peer
/// cannot forge log lines, move a terminal's cursor or send escape sequences (ESC) to it; and the
/// result is bounded in length. In the spirit of OpenSSH's strnvis, not a copy of it. Names the
/// peer chooses (channel types, request names) are read without trusting their size: a long one
/// is not decoded whole, and a reply quotes at most <see cref="MaxQuoted"/> characters of it, never
/// the peer's whole string (a 256 KiB channel type must not become a 256 KiB reply).
/// </summary>
internal static class PeerText
{
    /// <summary>The default bound on the sanitized text, in characters (the marker included).</summary>
    public const int DefaultMaxLength = 512;

    /// <summary>The bound for authentication banners, which are multi-line and may be long.</summary>
    public const int BannerMaxLength = 16 * 1024;

    /// <summary>Appended when the text was cut to fit.</summary>
    public const string TruncationMarker = "...";

    /// <summary>
    /// Returns <paramref name="text"/> with every unsafe character escaped: as <c>\ooo</c> (three
    /// octal digits) below U+0100, as <c>\u{XXXX}</c> above; cut to at most
    /// <paramref name="maxLength"/> characters, ending with <see cref="TruncationMarker"/> when cut.
    /// With <paramref name="multiline"/> (banners) line feeds, tabs and CR LF pairs are kept; a
    /// lone CR (which would let the text overwrite what a terminal already shows) is escaped.
    /// Ill-formed UTF-16 (lone surrogates) becomes U+FFFD.
    /// </summary>
    public static string Sanitize(string? text, int maxLength = DefaultMaxLength, bool multiline = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, TruncationMarker.Length + 1);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.Length <= maxLength && IsSafe(text, multiline))
        {
            return text;
        }

        var result = new StringBuilder(Math.Min(text.Length, maxLength));
        int limit = maxLength - TruncationMarker.Length;
        int cut = 0; // the result's length at the last whole character or escape that leaves room for the marker
        Span<char> piece = stackalloc char[16];
        int index = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            index += rune.Utf16SequenceLength;
            bool crlf = rune.Value == '\r' && index < text.Length && text[index] == '\n';
            int written = Render(rune, multiline, crlf, piece);
            if (result.Length + written > maxLength)
            {
                result.Length = cut;
                result.Append(TruncationMarker);
                return result.ToString();
            }

            result.Append(piece[..written]);
            if (result.Length <= limit)
            {
                cut = result.Length;
            }
        }

        return result.ToString();
    }

    private static bool IsSafe(string text, bool multiline)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is >= ' ' and < (char)0x7f)
            {
                continue;
            }

            if (multiline && (c is '\n' or '\t' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')))
            {
                continue;
            }

            if (c < 0x80 || char.IsSurrogate(c) || IsUnsafe(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUnsafe(UnicodeCategory category) =>
        category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>Writes <paramref name="rune"/> or its escape into <paramref name="output"/>; returns the characters written.</summary>
    private static int Render(Rune rune, bool multiline, bool crlf, Span<char> output)
    {
        int value = rune.Value;
        bool keep = multiline && (value is '\n' or '\t' || (value == '\r' && crlf));
        if (keep || !IsUnsafe(Rune.GetUnicodeCategory(rune)))
        {
            return rune.EncodeToUtf16(output);
        }

        if (value < 0x100)
        {
            output[0] = '\\';
            output[1] = (char)('0' + ((value >> 6) & 7));
            output[2] = (char)('0' + ((value >> 3) & 7));
            output[3] = (char)('0' + (value & 7));
            return 4;
        }

        bool ok = output.TryWrite(CultureInfo.InvariantCulture, $"\\u{{{value:X4}}}", out int length);
        return ok ? length : 0;
    }

    /// <summary>Names longer than this (in bytes) are returned shortened: no SSH name is that long.</summary>
    public const int MaxNameLength = 256;

    /// <summary>At most this many characters of a peer's name go into a message or a log line.</summary>
    public const int MaxQuoted = 64;

    /// <summary>
    /// Reads a <c>string</c> that must be printable US-ASCII, as <see cref="SshReader.ReadAsciiString"/>
    /// does. A name over <see cref="MaxNameLength"/> bytes comes back as its first
    /// <see cref="MaxQuoted"/> characters followed by <c>...</c>, which matches no real name.
    /// </summary>
    public static string ReadName(ref SshReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.ReadString();
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                throw new SshFormatException("string contains a byte outside printable US-ASCII");
            }
        }

        return bytes.Length <= MaxNameLength ? Encoding.ASCII.GetString(bytes) : Encoding.ASCII.GetString(bytes[..MaxQuoted]) + "...";
    }

    /// <summary><paramref name="name"/> shortened to <see cref="MaxQuoted"/> characters (plus <c>...</c>) for a reply or a log line.</summary>
    public static string Quote(string name) => name.Length <= MaxQuoted ? name : string.Concat(name.AsSpan(0, MaxQuoted), "...");
}
