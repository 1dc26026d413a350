using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <content>Writing known_hosts entries.</content>
public sealed partial class KnownHostsFile
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode KnownHostsFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Formats one known_hosts line for <paramref name="key"/> (no trailing newline): the host as
    /// <c>host</c> for port 22 or <c>[host]:port</c> otherwise, hashed as <c>|1|salt|hmac</c> with a
    /// fresh random 20-byte salt when <paramref name="hashed"/> is true.
    /// </summary>
    public static string FormatEntry(string host, int port, SshPublicKey key, bool hashed, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return FormatEntry(host, port, key.KeyType, key.Blob.Span, hashed, comment);
    }

    /// <summary>Formats one known_hosts line for a key given as type and blob. See the <see cref="SshPublicKey"/> overload.</summary>
    public static string FormatEntry(string host, int port, string keyType, ReadOnlySpan<byte> blob, bool hashed, string? comment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyType);
        if (host is null || host.Length == 0 || host.AsSpan().IndexOfAny(" \t\r\n,*?!|") >= 0)
        {
            throw new ArgumentException("The host must be a non-empty name without whitespace, commas, wildcards or '|'.", nameof(host));
        }

        if (keyType.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            throw new ArgumentException("The key type must not contain whitespace.", nameof(keyType));
        }

        if (comment is not null && comment.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The comment must be a single line.", nameof(comment));
        }

        string name = LookupName(host, port);
        if (hashed)
        {
            Span<byte> salt = stackalloc byte[20];
            RandomNumberGenerator.Fill(salt);
            name = KnownHostsEntry.FormatHashedName(salt, name);
        }

        var line = new StringBuilder(name).Append(' ').Append(keyType).Append(' ').Append(Convert.ToBase64String(blob));
        if (!string.IsNullOrEmpty(comment))
        {
            line.Append(' ').Append(comment);
        }

        return line.ToString();
    }

    /// <summary>
    /// Appends an entry for <paramref name="key"/> to the known_hosts file at <paramref name="path"/>,
    /// creating the file (mode 0644) and its directory (mode 0700, like <c>~/.ssh</c>) when missing.
    /// </summary>
    public static Task AppendAsync(
        string path, string host, int port, SshPublicKey key, bool hashed, string? comment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return AppendLineAsync(path, FormatEntry(host, port, key, hashed, comment), cancellationToken);
    }

    /// <summary>Appends an entry for a key given as type and blob. See the <see cref="SshPublicKey"/> overload.</summary>
    public static Task AppendAsync(
        string path, string host, int port, string keyType, ReadOnlyMemory<byte> blob, bool hashed, string? comment = null,
        CancellationToken cancellationToken = default)
        => AppendLineAsync(path, FormatEntry(host, port, keyType, blob.Span, hashed, comment), cancellationToken);

    private static async Task AppendLineAsync(string path, string line, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path == TrustFileText.NullDevice)
        {
            return;
        }

        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, DirectoryMode);
            }
        }

        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = KnownHostsFileMode;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            bool needsNewline = false;
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                byte[] last = new byte[1];
                needsNewline = await stream.ReadAsync(last, cancellationToken).ConfigureAwait(false) == 1 && last[0] != (byte)'\n';
            }

            stream.Seek(0, SeekOrigin.End);
            byte[] bytes = Encoding.UTF8.GetBytes((needsNewline ? "\n" : string.Empty) + line + "\n");
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
