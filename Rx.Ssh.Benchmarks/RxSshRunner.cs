using System.Reactive.Linq;
using Rx.Ssh;
using Rx.Ssh.Connection;
using Rx.Ssh.Trust;

/// <summary>Bulk transfers and connection setup through Rx.Ssh against a server under test.</summary>
internal sealed class RxSshRunner(IServerUnderTest server)
{
    private const int BufferSize = 256 * 1024;

    public Task<SshClientConnection> ConnectAsync(string cipher) =>
        SshClient.ConnectAsync("127.0.0.1", server.Port, new SshClientOptions
        {
            UserName = server.Keys.UserName,
            KeyFiles = [server.Keys.UserKey],
            UseDefaultKeys = false,
            HostKeyVerifier = new KnownHostsVerifier(server.Keys.KnownHosts),
            Algorithms = SshAlgorithms.Default with { Ciphers = [cipher] },
        });

    /// <summary>Writes <paramref name="bytes"/> from one reused buffer to <c>cat &gt; /dev/null</c>, then EOF; waits for the exit status.</summary>
    public static async Task UploadAsync(SshClientConnection connection, long bytes)
    {
        SshChannel channel = await connection.OpenChannelAsync("session", null, CancellationToken.None);
        try
        {
            await SessionRequests.StartAsync(channel, "exec", "cat > /dev/null", new SshProcessOptions(), CancellationToken.None);
            var buffer = new byte[BufferSize];
            Task<int?> drain = DrainAsync(channel);
            for (long left = bytes; left > 0; left -= BufferSize)
            {
                await channel.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, BufferSize)), null, CancellationToken.None);
            }

            await channel.SendEofAsync();
            int? status = await drain;
            if (status != 0)
            {
                throw new InvalidOperationException($"upload command exited with {status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no status"}");
            }
        }
        finally
        {
            await channel.CloseAsync();
        }
    }

    /// <summary>Runs <c>head -c N /dev/zero</c> through the public <see cref="SshClientConnection.Exec"/> observable and counts stdout bytes.</summary>
    public static async Task DownloadAsync(SshClientConnection connection, long bytes)
    {
        long received = 0;
        int? status = null;
        await connection.Exec($"head -c {bytes} /dev/zero").Do(e =>
        {
            switch (e)
            {
                case SshDataReceived { Stream: SshDataStream.Stdout } d:
                    received += d.Data.Length;
                    break;
                case SshExitStatusReceived s:
                    status = s.ExitStatus;
                    break;
            }
        }).LastOrDefaultAsync();
        if (received != bytes || status != 0)
        {
            throw new InvalidOperationException($"download got {received} bytes, exit status {status}");
        }
    }

    /// <summary>Connect, authenticate, run <c>true</c>, disconnect.</summary>
    public async Task ConnectRunCloseAsync(string cipher)
    {
        SshClientConnection connection = await ConnectAsync(cipher);
        await using (connection)
        {
            SshCompletedProcess result = await connection.RunAsync("true");
            if (result.ExitStatus != 0)
            {
                throw new InvalidOperationException("`true` failed");
            }
        }
    }

    /// <summary>Reads the session's events until it closes, returning window as it goes; returns the exit status.</summary>
    private static async Task<int?> DrainAsync(SshChannel channel)
    {
        int? status = null;
        while (await channel.Events.WaitToReadAsync())
        {
            while (channel.Events.TryRead(out ChannelEvent e))
            {
                channel.Consumed(e);
                if (e is { Kind: ChannelEventKind.Request, RequestType: "exit-status", RequestData.Length: >= 4 })
                {
                    status = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(e.RequestData);
                }
                else if (e.Kind == ChannelEventKind.Close)
                {
                    return status;
                }
            }
        }

        return status;
    }
}
