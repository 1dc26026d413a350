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

/// <summary>
/// A private key file asks for more key derivation work than <c>SshKeyLoadLimits</c> allow
/// (bcrypt rounds, Argon2 memory or passes, PBKDF2 iterations, scrypt memory); it was refused before any
/// derivation ran.
/// </summary>
public sealed class SshKeyLimitException : SshKeyFormatException
{
    /// <summary>Creates the exception for <paramref name="parameter"/> at <paramref name="value"/>, over <paramref name="limit"/>.</summary>
    public SshKeyLimitException(string parameter, long value, long limit, string limitName)
        : base($"the key asks for {value} {parameter}, over the limit of {limit} (SshKeyLoadLimits.{limitName}); raise the limit only for a file you trust")
    {
        Parameter = parameter;
        Value = value;
        Limit = limit;
    }

    /// <summary>Creates the exception with <paramref name="message"/>, keeping the details of <paramref name="innerException"/> when it is one too.</summary>
    public SshKeyLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
        if (innerException is SshKeyLimitException inner)
        {
            Parameter = inner.Parameter;
            Value = inner.Value;
            Limit = inner.Limit;
        }
    }

    /// <summary>Creates the exception.</summary>
    public SshKeyLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SshKeyLimitException()
        : base("the key asks for more key derivation work than allowed")
    {
    }

    /// <summary>What was over the limit (<c>bcrypt rounds</c>, <c>KiB of Argon2 memory</c>, ...); empty when unknown.</summary>
    public string Parameter { get; } = string.Empty;

    /// <summary>The value the file asks for.</summary>
    public long Value { get; }

    /// <summary>The limit it exceeds.</summary>
    public long Limit { get; }
}
