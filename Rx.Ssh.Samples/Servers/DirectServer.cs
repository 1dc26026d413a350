using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// direct_server: direct connections to port 7 (<c>--allow-port</c>) are answered by the server
/// itself as an echo service, written against the channel's events (the callback/observable
/// form); any other destination is refused. No shell.
/// </summary>
internal sealed class DirectServer : ISample
{
    public string Name => "direct_server";

    public string Description => "Answer direct connections to port 7 (--allow-port) with an in-process echo (observable form).";

    public Task<int> RunAsync(SampleContext context) => ListenAsync(context, EchoAsync);

    /// <summary>Listens, serving direct connections to the allowed port (7 unless <c>--allow-port</c>) with <paramref name="echo"/>.</summary>
    internal static Task<int> ListenAsync(SampleContext context, Func<SshChannelStream, CancellationToken, Task> echo)
    {
        int allowed = context.AllowPort ?? 7;
        var accepted = SshForwardDecision.Handle(echo);
        var refused = SshForwardDecision.Refuse(ChannelOpenFailureReason.AdministrativelyProhibited, "Only echo connections allowed");
        return ServerSample.ListenWithUserCaAsync(context, new SshServerOptions
        {
            DirectForwardPolicy = request => ValueTask.FromResult(request is { IsStreamLocal: false } && request.Port == allowed ? accepted : refused),
        });
    }

    // Every data event is written back, in order, until the client's EOF; the server then closes the channel.
    private static Task EchoAsync(SshChannelStream channel, CancellationToken cancellationToken) => channel.Events
        .TakeWhile(e => e is not SshChannelEofReceived)
        .OfType<SshChannelDataReceived>()
        .Select(data => Observable.FromAsync(token => channel.WriteAsync(data.Data, token).AsTask()))
        .Concat()
        .DefaultIfEmpty()
        .ToTask(cancellationToken);
}
