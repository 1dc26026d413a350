namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// local_forwarding_client: listen on port 8080 of all interfaces (<c>--listen-port</c>,
/// <c>--listen</c>) and forward each connection through the server to www.google.com:80
/// (<c>--dest-host</c>, <c>--dest-port</c>), resolved by the server; runs until the connection ends.
/// </summary>
internal sealed class LocalForwardingClient : ISample
{
    public string Name => "local_forwarding_client";

    public string Description => "Forward local port 8080 through the server to www.google.com:80 until the connection ends.";

    // Subscribing binds the port; each accepted connection gets its own direct-tcpip channel.
    public Task<int> RunAsync(SampleContext context) =>
        ForwardingSample.RunAsync(context, conn => conn.ForwardLocalPort(
            ForwardingSample.ListenHost(context),
            context.ListenPort ?? 8080,
            context.DestHost ?? "www.google.com",
            context.DestPort ?? 80));
}
