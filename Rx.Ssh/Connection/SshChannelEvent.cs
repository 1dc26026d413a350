namespace Rx.Ssh;

/// <summary>
/// Something that arrived on a channel, as <see cref="SshChannelStream.Events"/> emits it, in
/// arrival order: <see cref="SshChannelDataReceived"/>, <see cref="SshChannelExtendedDataReceived"/>,
/// <see cref="SshChannelEofReceived"/>, <see cref="SshChannelRequestReceived"/>, <see cref="SshChannelClosed"/>.
/// </summary>
public abstract record SshChannelEvent;

/// <summary>Channel data (CHANNEL_DATA). The event owns its bytes (a copy): safe to keep.</summary>
/// <param name="Data">The bytes.</param>
public sealed record SshChannelDataReceived(ReadOnlyMemory<byte> Data) : SshChannelEvent;

/// <summary>Extended data (CHANNEL_EXTENDED_DATA), e.g. stderr with <paramref name="DataType"/> 1. The event owns its bytes.</summary>
/// <param name="DataType">The data type code the peer sent (1 is SSH_EXTENDED_DATA_STDERR).</param>
/// <param name="Data">The bytes.</param>
public sealed record SshChannelExtendedDataReceived(uint DataType, ReadOnlyMemory<byte> Data) : SshChannelEvent;

/// <summary>The peer will send no more data (CHANNEL_EOF); it may still send requests, and we may still send data.</summary>
public sealed record SshChannelEofReceived : SshChannelEvent;

/// <summary>The channel closed (the peer's CHANNEL_CLOSE). The last event before completion.</summary>
public sealed record SshChannelClosed : SshChannelEvent;

/// <summary>
/// A channel request the peer sent (CHANNEL_REQUEST). When <see cref="WantReply"/> is set the
/// peer waits for an answer: call <see cref="Reply"/> once, during <c>OnNext</c> or later from any
/// thread. Replies go out in the order the requests came (RFC 4254 section 5.4), so an unanswered
/// request holds back the answers of later ones; a request still unanswered when the channel
/// closes is dropped with it.
/// </summary>
public sealed record SshChannelRequestReceived : SshChannelEvent
{
    private readonly Func<bool, bool>? _reply;

    internal SshChannelRequestReceived(string requestType, ReadOnlyMemory<byte> data, bool wantReply, Func<bool, bool>? reply)
    {
        RequestType = requestType;
        Data = data;
        WantReply = wantReply;
        _reply = reply;
    }

    /// <summary>The request type (e.g. <c>exit-status</c>, <c>auth-agent-req@openssh.com</c>); already checked to be a printable name.</summary>
    public string RequestType { get; }

    /// <summary>The type-specific data after the want-reply flag, in wire format (a copy, owned by the event).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the peer waits for <see cref="Reply"/>.</summary>
    public bool WantReply { get; }

    /// <summary>Answers the request with CHANNEL_SUCCESS or CHANNEL_FAILURE (in request order).</summary>
    /// <param name="success">True to accept the request.</param>
    /// <returns>True if this call answered it; false when no reply is wanted or it was answered already.</returns>
    public bool Reply(bool success) => _reply?.Invoke(success) ?? false;
}
