using Rx.Ssh.Connection;

namespace Rx.Ssh.Session;

/// <summary>
/// What one role does with a session channel's events, as <see cref="SessionChannelPump"/> hands
/// them over in arrival order. Everything runs on the pump's task, one event at a time.
/// </summary>
internal abstract class SessionEventSink
{
    /// <summary>Data on the main stream (a client's stdout, a server's stdin). True when the sink keeps the pooled buffer (and returns it later with <c>Consumed</c>); false has the pump return it.</summary>
    public virtual bool OnData(in ChannelEvent e) => false;

    /// <summary>Extended data of type 1 (stderr). As <see cref="OnData"/>; other types are dropped by the pump.</summary>
    public virtual bool OnStderr(in ChannelEvent e) => false;

    /// <summary>
    /// True once the channel's remaining events belong to someone else (the server handed it to a
    /// registered subsystem): the pump stops before taking the next event.
    /// </summary>
    public virtual bool HandedOver => false;

    /// <summary>The peer sent EOF.</summary>
    public virtual void OnEof()
    {
    }

    /// <summary>
    /// A request: handles it when it is one this role builds in and returns the answer; null hands
    /// it to the connection's channel-request registry. A malformed request may throw
    /// <see cref="SshFormatException"/> (answered with failure).
    /// </summary>
    public abstract bool? OnRequest(string type, byte[] data, bool wantReply);

    /// <summary>
    /// Called before a request that wants a reply is handled; returns what sends the answer. The
    /// default replies at once; the server orders the reply with its queued output.
    /// </summary>
    public virtual Action<bool> BeginReply(SshChannel channel) => channel.Reply;

    /// <summary>After the reply to <paramref name="type"/> went out (or none was wanted).</summary>
    public virtual void OnRequestAnswered(string type, bool success)
    {
    }

    /// <summary>The peer closed the channel.</summary>
    public virtual void OnClose()
    {
    }
}
