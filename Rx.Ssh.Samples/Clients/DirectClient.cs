using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// direct_client: a direct TCP channel through the server to www.google.com:80
/// (<c>--dest-host</c>, <c>--dest-port</c>), observed: the request goes in as the input
/// observable (its end sends EOF) and every chunk received is written to stdout unchanged until the
/// channel closes. An error on the open channel prints <c>Direct connection error: MESSAGE</c>.
/// </summary>
internal sealed class DirectClient : ISample
{
    public string Name => "direct_client";

    public string Description => "Send 'HEAD / HTTP/1.0' to www.google.com:80 over a direct channel; print the reply.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            Stream stdout = context.OutBytes ?? Console.OpenStandardOutput();
            ReadOnlyMemory<byte> request = "HEAD / HTTP/1.0\r\n\r\n"u8.ToArray();
            try
            {
                await conn.DirectTcp(context.DestHost ?? "www.google.com", context.DestPort ?? 80, Observable.Return(request))
                    .ForEachAsync(data => stdout.Write(data.Span));
            }
            catch (SshException exc) when (exc is not SshChannelOpenException)
            {
                context.Error.WriteLine("Direct connection error: " + exc.Message);
            }

            stdout.Flush();
            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
