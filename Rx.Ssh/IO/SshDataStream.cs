namespace Rx.Ssh;

/// <summary>Which output stream data came from.</summary>
public enum SshDataStream
{
    /// <summary>Standard output (CHANNEL_DATA).</summary>
    Stdout,

    /// <summary>Standard error (CHANNEL_EXTENDED_DATA type 1).</summary>
    Stderr,
}
