namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// remote_forwarding_client: ask the server to listen on port 8080 of all its interfaces
/// (<c>--listen-port</c>, <c>--listen</c>) and forward each connection back to localhost:80 as
/// seen from the client (<c>--dest-host</c>, <c>--dest-port</c>); runs until the connection ends.
/// </summary>
internal sealed class RemoteForwardingClient : ISample
{
    public string Name => "remote_forwarding_client";

    public string Description => "Ask the server to listen on 8080 and forward what arrives to localhost:80 here.";

    // Subscribing sends tcpip-forward; a refusal fails it (SshForwardingException).
    public Task<int> RunAsync(SampleContext context) =>
        ForwardingSample.RunAsync(context, conn => conn.ForwardRemotePort(
            ForwardingSample.ListenHost(context),
            context.ListenPort ?? 8080,
            context.DestHost ?? "localhost",
            context.DestPort ?? 80));
}
