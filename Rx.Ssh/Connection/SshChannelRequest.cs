namespace Rx.Ssh;

/// <summary>
/// A channel request (RFC 4254 section 5.4) the peer sent, as a <see cref="SshChannelRequestHandler"/>
/// sees it. The request owns a copy of its data, so a handler may keep it after it returns.
/// </summary>
public sealed class SshChannelRequest
{
    internal SshChannelRequest(SshConnection connection, string channelType, uint channelId, string name, ReadOnlyMemory<byte> data, bool wantReply)
    {
        Connection = connection;
        ChannelType = channelType;
        ChannelId = channelId;
        Name = name;
        Data = data;
        WantReply = wantReply;
    }

    /// <summary>The connection the request came on.</summary>
    public SshConnection Connection { get; }

    /// <summary>The type of the channel the request came on (e.g. <c>session</c>).</summary>
    public string ChannelType { get; }

    /// <summary>Our number for the channel (its local id), to tell channels of one connection apart.</summary>
    public uint ChannelId { get; }

    /// <summary>The request name (e.g. <c>auth-agent-req@openssh.com</c>).</summary>
    public string Name { get; }

    /// <summary>The request-specific data after the want-reply flag, in wire format (empty when there is none).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the peer asked for a reply; when false the handler's answer is not sent.</summary>
    public bool WantReply { get; }
}
