using System.Net;
using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// local_forwarding_client2: as local_forwarding_client on a port the system picks (port 0;
/// <c>--listen-port</c> replaces it), printing <c>Listening on port N...</c> once listening.
/// </summary>
internal sealed class LocalForwardingClient2 : ISample
{
    public string Name => "local_forwarding_client2";

    public string Description => "Forward a dynamically chosen local port to www.google.com:80; print the port.";

    public Task<int> RunAsync(SampleContext context) =>
        ForwardingSample.RunAsync(context, conn => conn
            .ForwardLocalPort(ForwardingSample.ListenHost(context), context.ListenPort ?? 0, context.DestHost ?? "www.google.com", context.DestPort ?? 80)
            .OfType<SshLocalForwardStarted>()
            .Do(started => context.Out.WriteLine($"Listening on port {((IPEndPoint)started.LocalEndPoint).Port}...")));
}
