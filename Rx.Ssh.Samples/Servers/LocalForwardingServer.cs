namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// local_forwarding_server: direct connections (<c>ssh -L</c>, <c>ssh -W</c>) to port 80
/// (<c>--allow-port</c>) are forwarded by the server, which opens the TCP connection itself; any
/// other destination is refused. No shell.
/// </summary>
internal sealed class LocalForwardingServer : ISample
{
    public string Name => "local_forwarding_server";

    public string Description => "Forward direct connections to port 80 (--allow-port) only; refuse the rest.";

    public Task<int> RunAsync(SampleContext context)
    {
        int allowed = context.AllowPort ?? 80;
        var refused = SshForwardDecision.Refuse(ChannelOpenFailureReason.AdministrativelyProhibited, $"Only connections to port {allowed} are allowed");
        return ServerSample.ListenWithUserCaAsync(context, new SshServerOptions
        {
            DirectForwardPolicy = request => ValueTask.FromResult(request is { IsStreamLocal: false } && request.Port == allowed ? SshForwardDecision.Allow : refused),
        });
    }
}
