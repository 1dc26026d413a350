namespace Rx.Ssh.Samples.Servers;

/// <summary>stream_direct_server: direct_server with the echo written as a stream handler.</summary>
internal sealed class StreamDirectServer : ISample
{
    public string Name => "stream_direct_server";

    public string Description => "Answer direct connections to port 7 (--allow-port) with an in-process echo (stream form).";

    public Task<int> RunAsync(SampleContext context) => DirectServer.ListenAsync(context, EchoAsync);

    // Read up to 8 KiB, write it back, until EOF; the server then closes the channel.
    private static async Task EchoAsync(SshChannelStream channel, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = await channel.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await channel.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }
}
