using System.Net;

namespace Rx.Ssh;

/// <summary>A peer that called a reverse listener and did not become a connection (see <see cref="SshReverseListenOptions.PeerFailed"/>).</summary>
/// <param name="RemoteEndPoint">Who called.</param>
/// <param name="Host">The host name it was checked under (<see cref="SshReverseListenOptions.HostName"/>), or the address text when none was decided.</param>
/// <param name="Error">Why it failed.</param>
public sealed record SshReversePeerFailure(EndPoint? RemoteEndPoint, string Host, Exception Error);
