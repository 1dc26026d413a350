namespace Rx.Ssh;

/// <summary>
/// The answer to a global request (SSH_MSG_REQUEST_SUCCESS with its response-specific data, or
/// SSH_MSG_REQUEST_FAILURE), both what a handler returns and what
/// <see cref="SshConnection.SendGlobalRequestAsync"/> gives back.
/// </summary>
public sealed class SshGlobalReply
{
    private SshGlobalReply(bool success, ReadOnlyMemory<byte> data, bool replied)
    {
        Success = success;
        Data = data;
        Replied = replied;
    }

    /// <summary>SSH_MSG_REQUEST_FAILURE (no data).</summary>
    public static SshGlobalReply Failed { get; } = new(false, ReadOnlyMemory<byte>.Empty, true);

    /// <summary>
    /// What <see cref="SshConnection.SendGlobalRequestAsync"/> returns for a request sent without
    /// want-reply: the peer answers nothing, so <see cref="Replied"/> and <see cref="Success"/> are false.
    /// </summary>
    public static SshGlobalReply NotRequested { get; } = new(false, ReadOnlyMemory<byte>.Empty, false);

    /// <summary>True for SSH_MSG_REQUEST_SUCCESS.</summary>
    public bool Success { get; }

    /// <summary>
    /// The response-specific data of a success reply in wire format (e.g. the allocated port, a
    /// uint32, for <c>tcpip-forward</c> with port 0); empty otherwise.
    /// </summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>False only for <see cref="NotRequested"/>: no reply was asked for.</summary>
    public bool Replied { get; }

    /// <summary>SSH_MSG_REQUEST_SUCCESS with <paramref name="data"/> (in wire format) after the message number.</summary>
    public static SshGlobalReply Succeeded(ReadOnlyMemory<byte> data = default) => new(true, data, true);
}
