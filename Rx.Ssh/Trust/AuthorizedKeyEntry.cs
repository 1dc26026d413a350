using System.Net;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>One line of an authorized_keys file: <c>[options] keytype base64 [comment]</c>.</summary>
public sealed class AuthorizedKeyEntry
{
    private readonly byte[] _blob;

    private AuthorizedKeyEntry(AuthorizedKeyOptions options, string keyType, byte[] blob, string? comment, string? path, int lineNumber)
    {
        Options = options;
        KeyType = keyType;
        _blob = blob;
        Comment = comment;
        Path = path;
        LineNumber = lineNumber;
    }

    /// <summary>The parsed options; <see cref="AuthorizedKeyOptions.None"/> when the line has none.</summary>
    public AuthorizedKeyOptions Options { get; }

    /// <summary>The key type, e.g. <c>ssh-ed25519</c>.</summary>
    public string KeyType { get; }

    /// <summary>The key's wire blob.</summary>
    public ReadOnlyMemory<byte> Blob => _blob;

    /// <summary>The comment after the key, or null.</summary>
    public string? Comment { get; }

    /// <summary>The file the entry came from, or null when parsed from text.</summary>
    public string? Path { get; }

    /// <summary>The 1-based line number.</summary>
    public int LineNumber { get; }

    /// <summary>True for <c>cert-authority</c> lines: the key signs user certificates and is not itself a user key.</summary>
    public bool IsCertificateAuthority => Options.CertificateAuthority;

    /// <summary>The key's SHA256 fingerprint in OpenSSH notation.</summary>
    public string Fingerprint => KeyFingerprint.Sha256(_blob);

    /// <summary>True when the entry's blob equals <paramref name="blob"/> byte for byte.</summary>
    public bool HasKey(ReadOnlySpan<byte> blob) => _blob.AsSpan().SequenceEqual(blob);

    /// <summary>True when the client satisfies the entry's <c>from=</c> option (or there is none). See <see cref="AuthorizedKeyOptions.MatchesSource"/>.</summary>
    public bool MatchesSource(string? hostName, IPAddress address) => Options.MatchesSource(hostName, address);

    /// <inheritdoc/>
    public override string ToString() => $"{KeyType} {Fingerprint}{(Comment is null ? string.Empty : " " + Comment)}";

    /// <summary>Parses one line; null for blank and comment lines; <see cref="FormatException"/> when malformed.</summary>
    internal static AuthorizedKeyEntry? ParseLine(ReadOnlySpan<char> line, string? path, int lineNumber)
    {
        ReadOnlySpan<char> rest = line.Trim();
        if (rest.IsEmpty || rest[0] == '#')
        {
            return null;
        }

        AuthorizedKeyEntry? plain = TryParseKey(rest, AuthorizedKeyOptions.None, path, lineNumber, out string? keyError);
        if (plain is not null)
        {
            return plain;
        }

        if (rest.StartsWith("ssh-", StringComparison.Ordinal) || rest.StartsWith("ecdsa-", StringComparison.Ordinal)
            || rest.StartsWith("sk-", StringComparison.Ordinal))
        {
            // Starts with a key type, so the key itself is what is wrong, not the options.
            throw new FormatException(keyError ?? "malformed key");
        }

        // The line does not start with a key, so its first field must be options.
        int optionLength = AuthorizedKeyOptionsParser.FieldLength(rest);
        AuthorizedKeyOptions options = AuthorizedKeyOptionsParser.Parse(rest[..optionLength]);
        AuthorizedKeyEntry? entry = TryParseKey(rest[optionLength..], options, path, lineNumber, out string? error);
        return entry ?? throw new FormatException(error ?? "missing key");
    }

    private static AuthorizedKeyEntry? TryParseKey(
        ReadOnlySpan<char> text, AuthorizedKeyOptions options, string? path, int lineNumber, out string? error)
    {
        string keyType = KeyBlob.NextToken(ref text).ToString();
        ReadOnlySpan<char> base64 = KeyBlob.NextToken(ref text);
        error = KeyBlob.TryDecode(keyType, base64, out byte[] blob);
        if (error is not null)
        {
            return null;
        }

        return new AuthorizedKeyEntry(options, keyType, blob, text.IsEmpty ? null : text.ToString(), path, lineNumber);
    }
}
