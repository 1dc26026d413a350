using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Fuzz;

/// <summary>Inputs the fuzzer found failing, each now answered with the documented error.</summary>
public sealed class FuzzRegressionTests
{
    /// <summary>P-256's OID in DER (1.2.840.10045.3.1.7), and the same with its last arc changed to one no platform knows.</summary>
    private static readonly byte[] P256Oid = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];

    private static string WithUnknownCurve(string pem, string label)
    {
        byte[] der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        int at = der.AsSpan().IndexOf(P256Oid);
        Assert.True(at >= 0);
        der[at + P256Oid.Length - 1] = 0x7F;
        return new string(PemEncoding.Write(label, der));
    }

    [Fact]
    public void A_sec1_key_on_an_unknown_curve_is_a_key_format_error()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = WithUnknownCurve(ec.ExportECPrivateKeyPem(), "EC PRIVATE KEY");

        Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(pem));
    }

    [Fact]
    public void A_pkcs8_key_on_an_unknown_curve_is_a_key_format_error()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = WithUnknownCurve(ec.ExportPkcs8PrivateKeyPem(), "PRIVATE KEY");

        Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(pem));
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----END PRIVATE KEY--------\nMIIC\n")]
    [InlineData("-----BEGIN X-----END X-----")]
    public void A_pem_end_line_overlapping_the_begin_line_is_a_key_format_error(string text) =>
        Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(text));

    [Fact]
    public async Task Disposing_a_process_whose_server_never_sends_close_returns_after_the_close_timeout()
    {
        // The server's CHANNEL_CLOSE (97) goes out as an IGNORE (2) instead: the client never hears it.
        var channels = new SshChannelSettings { CloseTimeout = TimeSpan.FromMilliseconds(300) };
        SshServerOptions server = InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("hi\n")) with
        {
            OutgoingPayloadFilter = payload => payload.Span[0] == 97 ? new byte[] { 2, 0, 0, 0, 0 } : default,
        };
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, InMemoryServer.DefaultClientOptions() with { ChannelSettings = channels, LoggerFactory = logs });
        SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);
        Assert.Equal("hi\n", await process.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await process.DisposeAsync().AsTask().WaitAsync(TestTimeout.Default);

        Assert.InRange(elapsed.Elapsed, TimeSpan.FromMilliseconds(250), TestTimeout.Default);
        // Given up on, not closed: the channel never had the server's CLOSE, so it was not logged as closed.
        Assert.DoesNotContain(logs.Entries, e => e.EventId == SshLogEvents.Connection.ChannelClosed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_close_timeout_must_be_positive_or_infinite(int milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SshChannelSettings { CloseTimeout = TimeSpan.FromMilliseconds(milliseconds) });
        Assert.Equal(Timeout.InfiniteTimeSpan, new SshChannelSettings { CloseTimeout = Timeout.InfiniteTimeSpan }.CloseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), SshChannelSettings.Default.CloseTimeout);
    }

    [Fact]
    public async Task Reading_a_closed_in_memory_stream_is_object_disposed_as_for_a_socket()
    {
        (Stream first, Stream second) = Rx.Ssh.Testing.InMemoryStream.CreatePair();
        await using (second)
        {
            await first.DisposeAsync();

            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await first.ReadExactlyAsync(new byte[1]));
        }
    }
}
