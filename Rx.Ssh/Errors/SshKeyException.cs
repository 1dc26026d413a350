namespace Rx.Ssh;

/// <summary>A key file or key blob could not be read: unknown format, truncated data, unsupported type.</summary>
public class SshKeyFormatException : SshException
{
    /// <summary>Creates the exception.</summary>
    public SshKeyFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public SshKeyFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SshKeyFormatException()
        : base("malformed key")
    {
    }
}

/// <summary>A private key is encrypted and the passphrase is missing or wrong.</summary>
public sealed class SshKeyPassphraseException : SshKeyFormatException
{
    /// <summary>Creates the exception.</summary>
    public SshKeyPassphraseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public SshKeyPassphraseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SshKeyPassphraseException()
        : base("wrong or missing passphrase")
    {
    }
}
