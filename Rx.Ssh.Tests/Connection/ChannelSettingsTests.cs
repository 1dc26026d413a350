using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>Window size, maximum packet and queued-output bound are options of both roles (issue 11, item 4).</summary>
public sealed class ChannelSettingsTests
{
    private const int SmallWindow = 64 * 1024;
    private const int Payload = 1024 * 1024;

    [Fact]
    public void The_defaults_are_a_2_MiB_window_32768_byte_packets_and_8_MiB_of_queued_output()
    {
        Assert.Equal(2 * 1024 * 1024, SshChannelSettings.Default.WindowSize);
        Assert.Equal(32768, SshChannelSettings.Default.MaxPacketSize);
        Assert.Equal(8L * 1024 * 1024, SshChannelSettings.Default.MaxQueuedOutputBytes);
        Assert.Same(SshChannelSettings.Default, new SshClientOptions().ChannelSettings);
        Assert.Same(SshChannelSettings.Default, new SshServerOptions().ChannelSettings);
    }

    [Theory]
    [InlineData(nameof(SshChannelSettings.WindowSize), 32767L)]
    [InlineData(nameof(SshChannelSettings.WindowSize), 0L)]
    [InlineData(nameof(SshChannelSettings.WindowSize), -1L)]
    [InlineData(nameof(SshChannelSettings.WindowSize), (1024L * 1024 * 1024) + 1)]
    [InlineData(nameof(SshChannelSettings.MaxPacketSize), 1023L)]
    [InlineData(nameof(SshChannelSettings.MaxPacketSize), SshChannelSettings.MaxMaxPacketSize + 1L)]
    [InlineData(nameof(SshChannelSettings.MaxQueuedOutputBytes), 32767L)]
    [InlineData(nameof(SshChannelSettings.MaxQueuedOutputBytes), (1024L * 1024 * 1024) + 1)]
    public void Out_of_range_values_are_refused_naming_the_setting(string setting, long value)
    {
        ArgumentOutOfRangeException refused = Assert.Throws<ArgumentOutOfRangeException>(() => Make(setting, value));

        Assert.Equal(setting, refused.ParamName);
    }

    [Theory]
    [InlineData(nameof(SshChannelSettings.WindowSize), 32768L)]
    [InlineData(nameof(SshChannelSettings.WindowSize), 1024L * 1024 * 1024)]
    [InlineData(nameof(SshChannelSettings.MaxPacketSize), 1024L)]
    [InlineData(nameof(SshChannelSettings.MaxPacketSize), 32768L)]
    [InlineData(nameof(SshChannelSettings.MaxPacketSize), (long)SshChannelSettings.MaxMaxPacketSize)]
    [InlineData(nameof(SshChannelSettings.MaxQueuedOutputBytes), 32768L)]
    public void The_bounds_themselves_are_accepted(string setting, long value) => Make(setting, value);

    [Fact]
    public async Task A_small_client_window_bounds_the_servers_bytes_in_flight()
    {
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync(new byte[Payload])),
            InMemoryServer.DefaultClientOptions() with { ChannelSettings = new SshChannelSettings { WindowSize = SmallWindow, MaxPacketSize = 1024 }, LoggerFactory = logs });
        Task<LogEntry> closed = logs.WaitForAsync(SshLogEvents.Connection.ChannelClosed);
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);

        long read = 0;
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await process.Stdout.ReadAsync(buffer).AsTask().WaitAsync(TestTimeout.Default)) > 0)
        {
            read += n;
        }

        Assert.Equal(Payload, read);
        // The channel's closing log line reports what the server sent (the receiver also fails a peer that overruns either bound).
        await process.DisposeAsync();
        LogEntry counts = await closed.WaitAsync(TestTimeout.Default);
        Assert.Equal(SmallWindow, counts.Value<long>("Window"));
        Assert.Equal(Payload, counts.Value<long>("Bytes"));
        Assert.InRange(counts.Value<long>("InFlight"), 1, SmallWindow);
        Assert.InRange(counts.Value<int>("LargestPacket"), 1, 1024);
    }

    [Fact]
    public async Task A_small_server_window_bounds_the_clients_bytes_in_flight()
    {
        var logs = new LogCollector();
        Task<LogEntry> closed = logs.WaitForAsync(SshLogEvents.Connection.ChannelClosed);
        var peak = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(async p =>
            {
                long read = 0;
                byte[] buffer = new byte[4096];
                int n;
                while ((n = await p.Stdin.ReadAsync(buffer)) > 0)
                {
                    read += n;
                }

                peak.TrySetResult(read);
            }) with
            {
                ChannelSettings = new SshChannelSettings { WindowSize = SmallWindow, MaxPacketSize = 2048 },
                LoggerFactory = logs,
            });

        SshCompletedProcess result = await pair.Client.RunAsync("x", new SshProcessOptions { Input = new byte[Payload] }).WaitAsync(TestTimeout.Default);
        long read = await peak.Task.WaitAsync(TestTimeout.Default);
        LogEntry counts = await closed.WaitAsync(TestTimeout.Default);

        Assert.Equal(0, result.ExitStatus);
        Assert.Equal(Payload, read);
        Assert.Equal(SmallWindow, counts.Value<long>("Window"));
        Assert.Equal(Payload, counts.Value<long>("Bytes"));
        Assert.InRange(counts.Value<long>("InFlight"), 1, SmallWindow);
        Assert.InRange(counts.Value<int>("LargestPacket"), 1, 2048);
    }

    private static SshChannelSettings Make(string setting, long value) => setting switch
    {
        nameof(SshChannelSettings.WindowSize) => new SshChannelSettings { WindowSize = checked((int)value) },
        nameof(SshChannelSettings.MaxPacketSize) => new SshChannelSettings { MaxPacketSize = (int)value },
        _ => new SshChannelSettings { MaxQueuedOutputBytes = value },
    };
}
