namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// remote_forwarding_server: a client may ask the server to listen (<c>ssh -R</c>) on port 8080
/// (<c>--allow-port</c>) only; the server binds it and forwards each connection back to the client.
/// No shell.
/// </summary>
internal sealed class RemoteForwardingServer : ISample
{
    public string Name => "remote_forwarding_server";

    public string Description => "Let clients listen remotely on port 8080 (--allow-port) only.";

    public Task<int> RunAsync(SampleContext context)
    {
        int allowed = context.AllowPort ?? 8080;
        return ServerSample.ListenWithUserCaAsync(context, new SshServerOptions
        {
            ListenPolicy = request => ValueTask.FromResult(request is { IsStreamLocal: false } && request.Port == allowed),
        });
    }
}
