using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// stream_listening_client: as listening_client with a stream handler per connection: read up
/// to 8192 bytes, write them back, until EOF; then close. Prints nothing; a refused listener is
/// <c>Listener couldn't be opened.</c> on stderr, exit code 1, as listening_client.
/// </summary>
internal sealed class StreamListeningClient : ISample
{
    public string Name => "stream_listening_client";

    public string Description => "As listening_client, each connection handled as a Stream.";

    public Task<int> RunAsync(SampleContext context) =>
        ForwardingSample.RunAsync(
            context,
            conn => Observable.FromAsync(async ct =>
            {
                // The awaitable form (AsyncSSH's start_server): returns once the server listens.
                await using SshRemoteListener server = await conn.ListenRemotePortAsync(ForwardingSample.ListenHost(context), context.ListenPort ?? 8888, HandleConnectionAsync, ct);
                await server.Completion.WaitAsync(ct);
            }),
            failed: exc => ListeningClient.ListenerRefused(exc, context));

    private static async Task HandleConnectionAsync(SshRemoteForwardRequest request, CancellationToken cancellationToken)
    {
        await using (SshChannelStream stream = request.Accept())
        {
            try
            {
                var buffer = new byte[8192];
                int n;
                while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                }
            }
            catch (SshException)
            {
                // That connection is gone; the others go on.
            }
        }
    }
}
