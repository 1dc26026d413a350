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
/// One incoming channel event. Data events hold a pooled buffer, the data at
/// <see cref="Offset"/> (non-zero when the buffer is the packet's own, taken from the transport):
/// whoever takes the event out of the queue returns it with <c>SshChannel.Consumed</c> (which also
/// gives the window back).
/// </summary>
internal readonly record struct ChannelEvent(
    ChannelEventKind Kind,
    byte[]? Buffer = null,
    int Length = 0,
    uint DataType = 0,
    string? RequestType = null,
    byte[]? RequestData = null,
    bool WantReply = false,
    int Offset = 0)
{
    public ReadOnlyMemory<byte> Data => Buffer is null ? default : Buffer.AsMemory(Offset, Length);
}
