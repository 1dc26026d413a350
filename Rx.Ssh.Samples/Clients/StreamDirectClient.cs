namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// stream_direct_client: as direct_client through a <see cref="Stream"/>: write the request,
/// send EOF, read to the end, write what came to stdout unchanged.
/// </summary>
internal sealed class StreamDirectClient : ISample
{
    public string Name => "stream_direct_client";

    public string Description => "As direct_client, through the channel as a Stream (write, EOF, read to the end).";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await using SshChannelStream channel = await conn.OpenDirectTcpAsync(context.DestHost ?? "www.google.com", context.DestPort ?? 80);
            await channel.WriteAsync("HEAD / HTTP/1.0\r\n\r\n"u8.ToArray());
            await channel.CompleteWritingAsync();
            using var response = new MemoryStream();
            await channel.CopyToAsync(response);

            Stream stdout = context.OutBytes ?? Console.OpenStandardOutput();
            stdout.Write(response.GetBuffer(), 0, (int)response.Length);
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
