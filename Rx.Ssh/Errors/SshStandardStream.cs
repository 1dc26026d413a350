namespace Rx.Ssh;

/// <summary>
/// A process's standard stream, on either role: which output a session's data came from
/// (<see cref="Stdout"/> is CHANNEL_DATA, <see cref="Stderr"/> CHANNEL_EXTENDED_DATA type 1), and
/// which stream an output limit, a line cap or a redirection error is about.
/// </summary>
public enum SshStandardStream
{
    /// <summary>Standard input.</summary>
    Stdin,

    /// <summary>Standard output (CHANNEL_DATA).</summary>
    Stdout,

    /// <summary>Standard error (CHANNEL_EXTENDED_DATA type 1).</summary>
    Stderr,
}
