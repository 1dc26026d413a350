using Rx.Ssh.Algorithms;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Transport;
using Xunit;

namespace Rx.Ssh.Tests.Transport;

/// <summary>Re-keying by itself: per-cipher byte limits and the time interval, in virtual time.</summary>
public sealed class RekeyTests
{
    [Theory]
    [InlineData("aes128-ctr", 64L << 30)]
    [InlineData("aes256-ctr", 64L << 30)]
    [InlineData("aes128-gcm@openssh.com", 64L << 30)]
    [InlineData("aes256-gcm@openssh.com", 64L << 30)]
    [InlineData("chacha20-poly1305@openssh.com", 1L << 30)]
    public void Each_cipher_has_an_rfc4344_default_limit(string cipher, long expected)
    {
        Assert.Equal(expected, SshTransport.DefaultRekeyBytes(AlgorithmCatalog.Ciphers[cipher]));
    }

    [Fact]
    public void A_configured_limit_lowers_the_cipher_limit_but_cannot_raise_it()
    {
        var chacha = AlgorithmCatalog.Ciphers["chacha20-poly1305@openssh.com"];
        Assert.Equal(1L << 20, SshTransport.RekeyLimitFor(chacha, 1L << 20));
        Assert.Equal(1L << 30, SshTransport.RekeyLimitFor(chacha, 1L << 40));
        Assert.Equal(1L << 30, SshTransport.RekeyLimitFor(chacha, 0));
    }

    [Fact]
    public async Task Rekeys_after_the_configured_bytes_in_memory()
    {
        // Byte limits are soft: a limit crossed while the previous exchange is still finishing is
        // acted on after it, so up to the queued budget (1 MiB) may pass per exchange on a loaded
        // machine. 2 MiB at a 128 KiB limit therefore forces at least two re-keys however the
        // threads are scheduled (about sixteen when nothing is in the way, under the peer's cap
        // of 20 exchanges a minute).
        byte[] input = new byte[2 * 1024 * 1024];
        new Random(3).NextBytes(input);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(async p => await p.Stdout.WriteAsync((await p.Stdin.ReadToEndAsync()).Length + "\n")),
            InMemoryServer.DefaultClientOptions() with { RekeyBytes = 128 * 1024 });

        SshCompletedProcess result = await pair.Client.RunAsync("count", new SshProcessOptions { Input = input }).WaitAsync(TestTimeout.Default);

        Assert.Equal(0, result.ExitStatus ?? 0);
        Assert.True(pair.Client.Transport.KeyExchangeCount >= 3, $"expected at least two re-keys after the first exchange, saw {pair.Client.Transport.KeyExchangeCount} exchanges");
    }

    [Fact]
    public async Task Rekeys_when_the_interval_passes_and_not_before_then_rearms()
    {
        var clock = new VirtualClock();
        TimeSpan interval = TimeSpan.FromMinutes(10);
        var clientLogs = new LogCollector();
        var serverLogs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Scheduler = clock, RekeyInterval = Timeout.InfiniteTimeSpan, LoggerFactory = serverLogs },
            InMemoryServer.DefaultClientOptions() with { Scheduler = clock, RekeyInterval = interval, LoggerFactory = clientLogs });
        var completed = System.Threading.Channels.Channel.CreateUnbounded<int>();
        var serverCompleted = System.Threading.Channels.Channel.CreateUnbounded<int>();
        using IDisposable client = clientLogs.Observe(SshLogEvents.Transport.KeyExchangeDone, replay: false).Subscribe(e => completed.Writer.TryWrite(e.Value<int>("Count")));
        using IDisposable server = serverLogs.Observe(SshLogEvents.Transport.KeyExchangeDone, replay: false).Subscribe(e => serverCompleted.Writer.TryWrite(e.Value<int>("Count")));
        await clock.WhenScheduledAsync(interval).WithTimeout();

        clock.AdvanceBy(interval - TimeSpan.FromSeconds(1));
        Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        Assert.Equal(1, pair.Client.Transport.KeyExchangeCount);
        Assert.Equal(1, pair.Server.Transport.KeyExchangeCount);

        clock.AdvanceBy(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await completed.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.Equal(2, await serverCompleted.Reader.ReadAsync().AsTask().WithTimeout()); // before time jumps past its re-exchange deadline

        // Re-armed from the end of that exchange.
        await clock.WhenScheduledAsync(interval).WithTimeout();
        clock.AdvanceBy(interval);
        Assert.Equal(3, await completed.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task The_server_rekeys_by_time_too()
    {
        var clock = new VirtualClock();
        TimeSpan interval = TimeSpan.FromMinutes(5);
        var serverLogs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Scheduler = clock, RekeyInterval = interval, LoggerFactory = serverLogs },
            InMemoryServer.DefaultClientOptions() with { Scheduler = clock, RekeyInterval = TimeSpan.Zero });
        var completed = System.Threading.Channels.Channel.CreateUnbounded<int>();
        using IDisposable server = serverLogs.Observe(SshLogEvents.Transport.KeyExchangeDone, replay: false).Subscribe(e => completed.Writer.TryWrite(e.Value<int>("Count")));
        await clock.WhenScheduledAsync(interval).WithTimeout();

        clock.AdvanceBy(interval);

        Assert.Equal(2, await completed.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
    }
}
