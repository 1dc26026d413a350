using Rx.Ssh.Sftp;

namespace Rx.Ssh.Samples.Clients;

/// <summary>sftp_client: download <c>example.txt</c> from the server's current directory (home) to the local current directory.</summary>
internal sealed class SftpClientSample : ISample
{
    public string Name => "sftp_client";

    public string Description => "Download example.txt from the server's home directory over SFTP.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await using SftpClient sftp = await conn.StartSftpClientAsync();

            // Get is a cold observable of progress: awaiting it runs the transfer and gives the last event.
            await sftp.Get("example.txt", Path.Combine(context.WorkingDirectory, "example.txt"));
            return 0;
        }
        catch (Exception exc) when (exc is SshException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine("SFTP operation failed: " + exc.Message);
            return 1;
        }
    }
}
