namespace Rx.Ssh;

/// <summary>
/// One forwarded channel that ended on a server connection (see <see cref="SshServerConnection.ForwardsEnded"/>):
/// what it was, bytes each way and how it ended.
/// </summary>
/// <param name="ChannelType"><c>direct-tcpip</c>, <c>direct-streamlocal@openssh.com</c>, <c>forwarded-tcpip</c> or <c>forwarded-streamlocal@openssh.com</c>.</param>
/// <param name="Target">For direct channels the destination; for forwarded ones the listen address (<c>host:port</c> or a socket path).</param>
/// <param name="Originator">For direct channels the originator the client gave; for forwarded ones the address that connected to the listener.</param>
/// <param name="BytesFromClient">Bytes the SSH client sent through the channel.</param>
/// <param name="BytesToClient">Bytes sent to the SSH client through the channel.</param>
/// <param name="Error">Why it failed; null when both directions ended with EOF.</param>
public sealed record SshForwardEnded(string ChannelType, string Target, string Originator, long BytesFromClient, long BytesToClient, Exception? Error);
