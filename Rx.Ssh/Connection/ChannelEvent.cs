namespace Rx.Ssh.Connection;

/// <summary>What arrived on a channel, in arrival order.</summary>
internal enum ChannelEventKind : byte
{
    Data,
    ExtendedData,
    Eof,
    Request,
    Close,
}

/// <summary>
/// One incoming channel event. Data events hold a pooled buffer: whoever takes the event out of
/// the queue returns it with <c>SshChannel.Consumed</c> (which also gives the window back).
/// </summary>
internal readonly record struct ChannelEvent(
    ChannelEventKind Kind,
    byte[]? Buffer = null,
    int Length = 0,
    uint DataType = 0,
    string? RequestType = null,
    byte[]? RequestData = null,
    bool WantReply = false)
{
    public ReadOnlyMemory<byte> Data => Buffer is null ? default : Buffer.AsMemory(0, Length);
}
