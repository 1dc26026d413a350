namespace Rx.Ssh;

/// <summary>An error on one channel; the connection and its other channels carry on.</summary>
public class SshChannelException : SshException
{
    /// <summary>Creates the exception.</summary>
    public SshChannelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public SshChannelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SshChannelException()
        : base("SSH channel error")
    {
    }
}

/// <summary>Channel open failure reason codes (RFC 4254 section 5.1).</summary>
public enum ChannelOpenFailureReason
{
    /// <summary>SSH_OPEN_ADMINISTRATIVELY_PROHIBITED.</summary>
    AdministrativelyProhibited = 1,

    /// <summary>SSH_OPEN_CONNECT_FAILED.</summary>
    ConnectFailed = 2,

    /// <summary>SSH_OPEN_UNKNOWN_CHANNEL_TYPE.</summary>
    UnknownChannelType = 3,

    /// <summary>SSH_OPEN_RESOURCE_SHORTAGE.</summary>
    ResourceShortage = 4,
}

/// <summary>The peer refused to open a channel.</summary>
public sealed class SshChannelOpenException : SshChannelException
{
    /// <summary>Creates the exception.</summary>
    public SshChannelOpenException(ChannelOpenFailureReason reason, string description)
        : base($"Channel open failed ({reason}): {description}")
    {
        Reason = reason;
        Description = description;
    }

    /// <summary>The reason code the peer sent.</summary>
    public ChannelOpenFailureReason Reason { get; }

    /// <summary>The peer's description.</summary>
    public string Description { get; }
}

/// <summary>A peer refused a channel request (pty, env, exec, subsystem, ...).</summary>
public sealed class SshChannelRequestException : SshChannelException
{
    /// <summary>Creates the exception.</summary>
    public SshChannelRequestException(string requestType)
        : base($"The peer refused the '{requestType}' request.")
    {
        RequestType = requestType;
    }

    /// <summary>The request the peer refused.</summary>
    public string RequestType { get; }
}
