namespace Rx.Ssh;

/// <summary>
/// A trust file (authorized_keys, known_hosts) that is refused before it is parsed: larger than
/// <see cref="MaxLength"/>, or not a regular file (a device, a FIFO, a socket, a directory).
/// An <see cref="IOException"/>, so code that treats an unreadable file as "no keys" handles it too.
/// </summary>
public sealed class SshTrustFileException : IOException
{
    /// <summary>The largest trust file read: 1 MiB.</summary>
    public const int MaxLength = 1024 * 1024;

    /// <summary>Creates the exception.</summary>
    public SshTrustFileException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SshTrustFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SshTrustFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public SshTrustFileException(string path, string message)
        : base(message) => Path = path;

    /// <summary>The refused file, when known.</summary>
    public string? Path { get; }
}
