namespace Rx.Ssh;

/// <summary>The base of every error Rx.Ssh raises.</summary>
public class SshException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public SshException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    public SshException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a default message.</summary>
    public SshException()
        : base("SSH error")
    {
    }
}

/// <summary>Data that does not follow the SSH wire format (a lying length, a truncated field, trailing bytes).</summary>
public class SshFormatException : SshException
{
    /// <summary>Creates an exception with a message.</summary>
    public SshFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    public SshFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a default message.</summary>
    public SshFormatException()
        : base("malformed SSH data")
    {
    }
}
