using System.Reactive;
using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// remote_forwarding_client2: as remote_forwarding_client, but each connection the server
/// forwards is decided here: from 127.0.0.1 or ::1 it goes on to localhost:80, any other origin is
/// refused with OPEN_ADMINISTRATIVELY_PROHIBITED.
/// </summary>
internal sealed class RemoteForwardingClient2 : ISample
{
    public string Name => "remote_forwarding_client2";

    public string Description => "Remote forward 8080 to localhost:80, refusing connections that do not come from localhost.";

    public Task<int> RunAsync(SampleContext context) =>
        ForwardingSample.RunAsync(context, conn => conn
            .ListenRemotePort(ForwardingSample.ListenHost(context), context.ListenPort ?? 8080)
            .OfType<SshRemoteForwardRequest>()
            .SelectMany(request => ConnectionRequested(request, context)));

    private static IObservable<Unit> ConnectionRequested(SshRemoteForwardRequest request, SampleContext context)
    {
        if (request.OriginatorHost is "127.0.0.1" or "::1")
        {
            return Observable.FromAsync(ct => request.ForwardToAsync(context.DestHost ?? "localhost", context.DestPort ?? 80, ct)).Select(_ => Unit.Default);
        }

        request.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, "Connections only allowed from localhost");
        return Observable.Empty<Unit>();
    }
}
