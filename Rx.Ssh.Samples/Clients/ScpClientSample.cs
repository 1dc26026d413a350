using Rx.Ssh.Sftp;

namespace Rx.Ssh.Samples.Clients;

/// <summary>scp_client: copy <c>HOST:example.txt</c> (the server's home directory) to the local current directory with SCP.</summary>
internal sealed class ScpClientSample : ISample
{
    public string Name => "scp_client";

    public string Description => "Copy HOST:example.txt to the current directory with SCP.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            // "host:path" as AsyncSSH writes it; the connection is opened for the copy and closed after.
            string host = context.Host.Contains(':', StringComparison.Ordinal) ? $"[{context.Host}]" : context.Host;
            var options = new ScpCopyOptions { ClientOptions = context.ClientOptions, Port = context.ClientPort };

            // Copy is a cold observable of progress: awaiting it runs the copy and gives the last event.
            await ScpClient.Copy($"{host}:example.txt", context.WorkingDirectory, options);
            return 0;
        }
        catch (Exception exc) when (exc is SshException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine("SFTP operation failed: " + exc.Message);
            return 1;
        }
    }
}
