using System.Reactive;
using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// listening_client: ask the server to listen on port 8888 (<c>--listen-port</c>, <c>--listen</c>)
/// and serve each connection it forwards here: print <c>Connection received from HOST, port PORT</c>
/// and echo back what arrives (the channel's events observed) until EOF, then close. A refused
/// listener is <c>Listener couldn't be opened.</c> on stderr, exit code 1.
/// </summary>
internal sealed class ListeningClient : ISample
{
    public string Name => "listening_client";

    public string Description => "Ask the server to listen on 8888; echo back every connection it forwards.";

    public Task<int> RunAsync(SampleContext context) =>
        ForwardingSample.RunAsync(
            context,
            conn => conn.ListenRemotePort(ForwardingSample.ListenHost(context), context.ListenPort ?? 8888)
                .OfType<SshRemoteForwardRequest>()
                .Do(request => context.Out.WriteLine($"Connection received from {request.OriginatorHost}, port {request.OriginatorPort}"))
                .SelectMany(request => Echo(request.Accept())),
            failed: exc => ListenerRefused(exc, context));

    /// <summary>Writes every data event back, in order, until EOF; then half-closes and closes the channel.</summary>
    private static IObservable<Unit> Echo(SshChannelStream channel) =>
        Observable.Using(
            () => channel,
            ch => ch.Events
                .TakeWhile(e => e is not SshChannelEofReceived)
                .OfType<SshChannelDataReceived>()
                .Select(data => Observable.FromAsync(ct => ch.WriteAsync(data.Data, ct).AsTask()))
                .Concat()
                .Concat(Observable.FromAsync(ct => ch.CompleteWritingAsync(ct).AsTask()))
                .Catch((SshException _) => Observable.Empty<Unit>())); // that connection is gone; the others go on

    /// <summary>The original's refusal line (samples.md: stderr, exit code 1); null for other failures.</summary>
    internal static int? ListenerRefused(Exception exc, SampleContext context)
    {
        if (exc is not SshForwardingException)
        {
            return null;
        }

        context.Error.WriteLine("Listener couldn't be opened.");
        return 1;
    }
}
