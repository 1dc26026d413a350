namespace Rx.Ssh;

/// <summary>What the known_hosts files say about a presented host key.</summary>
public enum HostKeyStatus
{
    /// <summary>An ordinary entry for the host holds exactly this key.</summary>
    Trusted,

    /// <summary>
    /// No key of this type is known for the host. Keys of other types may be known
    /// (<see cref="HostKeyCheckResult.OtherTypesKnown"/>).
    /// </summary>
    Unknown,

    /// <summary>The host has known keys of this type, but none is this key: possibly a man-in-the-middle attack.</summary>
    Changed,

    /// <summary>A <c>@revoked</c> entry for the host holds this key. Takes precedence over any other entry.</summary>
    Revoked,
}
