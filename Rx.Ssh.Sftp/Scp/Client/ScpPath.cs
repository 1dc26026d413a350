namespace Rx.Ssh.Sftp;

/// <summary>
/// One end of an SCP copy, in AsyncSSH's forms: a local path; <c>"host:path"</c> or
/// <c>"user@host:path"</c> (a connection is opened with <see cref="ScpCopyOptions.ClientOptions"/>
/// and closed after the copy); or an open connection and a path (<c>(connection, path)</c>, left
/// open). A remote path may hold wildcards, resolved by the remote side.
/// </summary>
public sealed record ScpPath
{
    /// <summary>An open connection the path is on; null for a local path or a host to connect to.</summary>
    public SshClientConnection? Connection { get; init; }

    /// <summary>A host to connect to; null for a local path or a given connection.</summary>
    public string? Host { get; init; }

    /// <summary>The user for <see cref="Host"/>; null for the options' user.</summary>
    public string? UserName { get; init; }

    /// <summary>The path (on the remote side when <see cref="IsRemote"/>; empty means the remote's home directory).</summary>
    public required string Path { get; init; }

    /// <summary>Whether the path is on a remote host.</summary>
    public bool IsRemote => Connection is not null || Host is not null;

    /// <summary>
    /// Parses <c>[user@]host:path</c> (remote) or a local path: a colon before any <c>/</c> makes it
    /// remote, as OpenSSH's scp decides; <c>[v6]:path</c> brackets an IPv6 address.
    /// </summary>
    /// <param name="text">The path.</param>
    /// <returns>The parsed path.</returns>
    public static ScpPath Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        string hostPart;
        string path;
        int at = -1;
        if (text.StartsWith('[') && text.IndexOf("]:", StringComparison.Ordinal) is int close and > 0)
        {
            hostPart = text[1..close];
            path = text[(close + 2)..];
        }
        else
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            int slash = text.IndexOf('/', StringComparison.Ordinal);
            if (colon <= 0 || (slash >= 0 && slash < colon))
            {
                return new ScpPath { Path = text };
            }

            hostPart = text[..colon];
            path = text[(colon + 1)..];
        }

        at = hostPart.LastIndexOf('@');
        return new ScpPath
        {
            Host = at >= 0 ? hostPart[(at + 1)..] : hostPart,
            UserName = at > 0 ? hostPart[..at] : null,
            Path = path,
        };
    }

    /// <summary>A path parsed by <see cref="Parse"/>.</summary>
    /// <param name="text">The path.</param>
    public static implicit operator ScpPath(string text) => Parse(text);

    /// <summary>A path on an open connection.</summary>
    /// <param name="remote">The connection and the path.</param>
    public static implicit operator ScpPath((SshClientConnection Connection, string Path) remote) =>
        new() { Connection = remote.Connection, Path = remote.Path };

    /// <summary>A path parsed by <see cref="Parse"/>.</summary>
    /// <param name="text">The path.</param>
    /// <returns>The parsed path.</returns>
    public static ScpPath FromString(string text) => Parse(text);

    /// <summary>A path on an open connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="path">The path.</param>
    /// <returns>The path.</returns>
    public static ScpPath FromValueTuple(SshClientConnection connection, string path) => new() { Connection = connection, Path = path };
}
