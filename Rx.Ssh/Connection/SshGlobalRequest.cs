namespace Rx.Ssh;

/// <summary>
/// A global request (RFC 4254 section 4) the peer sent, as a <see cref="SshGlobalRequestHandler"/>
/// sees it. The request owns a copy of its data, so a handler may keep it after it returns.
/// </summary>
public sealed class SshGlobalRequest
{
    internal SshGlobalRequest(SshConnection connection, string name, ReadOnlyMemory<byte> data, bool wantReply)
    {
        Connection = connection;
        Name = name;
        Data = data;
        WantReply = wantReply;
    }

    /// <summary>The connection the request came on.</summary>
    public SshConnection Connection { get; }

    /// <summary>The request name (e.g. <c>tcpip-forward</c>); already checked to be a printable name.</summary>
    public string Name { get; }

    /// <summary>The request-specific data after the want-reply flag, in wire format (empty when there is none).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the peer asked for a reply; when false the handler's reply is not sent.</summary>
    public bool WantReply { get; }
}
