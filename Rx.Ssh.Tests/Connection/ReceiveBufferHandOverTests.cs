using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Large channel data packets are queued in the buffer they were decrypted into (no copy); small
/// ones are copied. Either way every byte arrives in order, through the stream and the process
/// readers, whatever mix of packet sizes the peer sends.
/// </summary>
public sealed class ReceiveBufferHandOverTests
{
    private static byte[] Pattern(int length)
    {
        byte[] data = new byte[length];
        new Random(1234).NextBytes(data);
        return data;
    }

    /// <summary>Write sizes from 1 byte to a full 32 KiB packet, in a fixed pseudo-random order.</summary>
    private static IEnumerable<int> Sizes(int total)
    {
        var random = new Random(99);
        int[] choices = [1, 7, 100, 1500, 4095, 4097, 16 * 1024, 20000, 32 * 1024, 64 * 1024];
        for (int sent = 0; sent < total;)
        {
            int n = Math.Min(choices[random.Next(choices.Length)], total - sent);
            yield return n;
            sent += n;
        }
    }

    [Fact]
    public async Task Server_output_of_mixed_packet_sizes_arrives_whole_and_large_packets_are_not_copied()
    {
        byte[] payload = Pattern(3 * 1024 * 1024);
        var logs = new LogCollector();
        Task<LogEntry> closed = logs.WaitForAsync(SshLogEvents.Connection.ChannelClosed);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(async p =>
            {
                int offset = 0;
                foreach (int n in Sizes(payload.Length))
                {
                    await p.Stdout.WriteAsync(payload.AsMemory(offset, n));
                    offset += n;
                }
            }),
            InMemoryServer.DefaultClientOptions() with { LoggerFactory = logs });
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);

        using var received = new MemoryStream();
        await process.Stdout.CopyToAsync(received).WaitAsync(TestTimeout.Default);

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
        await process.DisposeAsync();
        Assert.True((await closed.WaitAsync(TestTimeout.Default)).Value<long>("KeptWhole") > 0, "no large packet kept its own buffer");
    }

    [Fact]
    public async Task Client_input_of_mixed_packet_sizes_arrives_whole_at_the_server()
    {
        byte[] payload = Pattern(3 * 1024 * 1024);
        var digest = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(async p =>
            {
                using var received = new MemoryStream();
                await p.Stdin.CopyToAsync(received);
                digest.TrySetResult(SHA256.HashData(received.ToArray()));
            }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);

        int offset = 0;
        foreach (int n in Sizes(payload.Length))
        {
            await process.Stdin.WriteAsync(payload.AsMemory(offset, n)).WaitAsync(TestTimeout.Default);
            offset += n;
        }

        await process.Stdin.CloseAsync().WaitAsync(TestTimeout.Default);

        Assert.Equal(SHA256.HashData(payload), await digest.Task.WaitAsync(TestTimeout.Default));
    }
}
