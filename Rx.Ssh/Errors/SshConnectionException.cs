namespace Rx.Ssh;

/// <summary>The connection ended or could not be set up. <see cref="Reason"/> is the SSH disconnect reason.</summary>
public class SshConnectionException : SshException
{
    /// <summary>Creates an exception for a connection that ended for <paramref name="reason"/>.</summary>
    public SshConnectionException(DisconnectReason reason, string message, bool isLocal = true, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        IsLocal = isLocal;
    }

    /// <summary>Creates an exception with a message.</summary>
    public SshConnectionException(string message)
        : this(DisconnectReason.None, message)
    {
    }

    /// <summary>Creates an exception with a message and cause.</summary>
    public SshConnectionException(string message, Exception? innerException)
        : this(DisconnectReason.None, message, true, innerException)
    {
    }

    /// <summary>Creates an exception with a default message.</summary>
    public SshConnectionException()
        : this(DisconnectReason.None, "SSH connection error")
    {
    }

    /// <summary>The disconnect reason code, sent by us (<see cref="IsLocal"/>) or by the peer.</summary>
    public DisconnectReason Reason { get; }

    /// <summary>True when this side decided to disconnect; false when the peer sent the disconnect.</summary>
    public bool IsLocal { get; }
}

/// <summary>
/// The key exchange failed: no algorithm of one kind is supported by both sides (<see cref="Kind"/>,
/// <see cref="Ours"/> and <see cref="Theirs"/> say which), or the peer sent a value the method
/// forbids (a Diffie-Hellman value out of range, a hybrid value of the wrong length, a group
/// outside the requested bounds; then both lists are empty). The reason is always
/// <see cref="DisconnectReason.KeyExchangeFailed"/>.
/// </summary>
public sealed class SshKeyExchangeException : SshConnectionException
{
    /// <summary>Creates the exception for a key exchange that failed on a bad value from the peer.</summary>
    public SshKeyExchangeException(string message, Exception? innerException = null)
        : base(DisconnectReason.KeyExchangeFailed, message, true, innerException)
    {
        Kind = "key exchange";
        Ours = [];
        Theirs = [];
    }

    /// <summary>Creates the exception naming both algorithm lists.</summary>
    public SshKeyExchangeException(string kind, IReadOnlyList<string> ours, IReadOnlyList<string> theirs)
        : base(DisconnectReason.KeyExchangeFailed,
            $"No common {kind} algorithm. Ours: {string.Join(",", ours)}. Theirs: {string.Join(",", theirs)}.")
    {
        Kind = kind;
        Ours = ours;
        Theirs = theirs;
    }

    /// <summary>Which algorithm kind failed to negotiate (kex, host key, cipher, MAC, compression).</summary>
    public string Kind { get; }

    /// <summary>Our list, in preference order.</summary>
    public IReadOnlyList<string> Ours { get; }

    /// <summary>The peer's list.</summary>
    public IReadOnlyList<string> Theirs { get; }
}

/// <summary>Authentication failed: no method the server accepts succeeded.</summary>
public sealed class SshPermissionDeniedException : SshConnectionException
{
    /// <summary>Creates the exception.</summary>
    public SshPermissionDeniedException(string message, IReadOnlyList<string> allowedMethods)
        : this(message, allowedMethods, null)
    {
    }

    /// <summary>
    /// Creates the exception with the error that kept a method from being tried: for example what an
    /// <c>ISshSigner</c> threw (an <see cref="AggregateException"/> when several failed).
    /// </summary>
    public SshPermissionDeniedException(string message, IReadOnlyList<string> allowedMethods, Exception? innerException)
        : base(DisconnectReason.NoMoreAuthMethodsAvailable, message, true, innerException)
    {
        AllowedMethods = allowedMethods;
    }

    /// <summary>The methods the server said could continue when we gave up.</summary>
    public IReadOnlyList<string> AllowedMethods { get; }
}
