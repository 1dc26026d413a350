using Rx.Ssh;

/// <summary>Bulk transfers and connection setup through Rx.Ssh against a server under test.</summary>
internal sealed class RxSshRunner(IServerUnderTest server)
{
    private const int BufferSize = 256 * 1024;

    public Task<SshClientConnection> ConnectAsync(string cipherSpec, string kex = CipherSpec.DefaultKex)
    {
        (string cipher, string? mac) = CipherSpec.Split(cipherSpec);
        return SshClient.ConnectAsync("127.0.0.1", server.Port, new SshClientOptions
        {
            UserName = server.Keys.UserName,
            Config = SshConfig.Empty, // measured runs must not depend on the machine's ~/.ssh/config
            KeyFiles = [server.Keys.UserKey],
            UseDefaultKeys = false,
            HostKeyVerifier = new KnownHostsVerifier(server.Keys.KnownHosts),
            Algorithms = SshAlgorithms.Default with { Ciphers = [cipher], Macs = mac is null ? SshAlgorithms.Default.Macs : [mac], KeyExchange = [kex] },
        });
    }

    /// <summary>Writes <paramref name="bytes"/> from one reused buffer to <c>cat &gt; /dev/null</c> through the public process API, then EOF; waits for the exit.</summary>
    public static async Task UploadAsync(SshClientConnection connection, long bytes)
    {
        await using SshClientProcess process = await connection.CreateProcessAsync("cat > /dev/null");
        var buffer = new byte[BufferSize];
        for (long left = bytes; left > 0; left -= BufferSize)
        {
            await process.Stdin.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, BufferSize)));
        }

        await process.Stdin.CloseAsync();
        SshProcessExit exit = await process.WaitForExitAsync();
        if (!exit.Succeeded)
        {
            throw new InvalidOperationException($"upload command ended with {exit}");
        }
    }

    /// <summary>Runs <c>head -c N /dev/zero</c> and reads stdout through the public process API into one reused buffer.</summary>
    public static async Task DownloadAsync(SshClientConnection connection, long bytes)
    {
        await using SshClientProcess process = await connection.CreateProcessAsync($"head -c {bytes} /dev/zero");
        var buffer = new byte[BufferSize];
        long received = 0;
        int n;
        while ((n = await process.Stdout.ReadAsync(buffer)) > 0)
        {
            received += n;
        }

        SshProcessExit exit = await process.WaitForExitAsync();
        if (received != bytes || !exit.Succeeded)
        {
            throw new InvalidOperationException($"download got {received} bytes, {exit}");
        }
    }

    /// <summary>Connect, authenticate, run <c>true</c>, disconnect.</summary>
    public async Task ConnectRunCloseAsync(string cipher, string kex = CipherSpec.DefaultKex)
    {
        SshClientConnection connection = await ConnectAsync(cipher, kex);
        await using (connection)
        {
            SshCompletedProcess result = await connection.RunAsync("true");
            if (result.ExitStatus != 0)
            {
                throw new InvalidOperationException("`true` failed");
            }
        }
    }
}
