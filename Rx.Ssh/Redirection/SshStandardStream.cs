namespace Rx.Ssh;

/// <summary>A process's standard stream, as named in redirection errors.</summary>
public enum SshStandardStream
{
    /// <summary>Standard input.</summary>
    Stdin,

    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
