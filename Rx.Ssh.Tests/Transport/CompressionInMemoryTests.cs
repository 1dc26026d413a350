using System.Text;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Transport;

/// <summary>zlib and zlib@openssh.com between the Rx.Ssh client and server.</summary>
public sealed class CompressionInMemoryTests
{
    [Theory]
    [InlineData("zlib")]
    [InlineData("zlib@openssh.com")]
    public async Task Data_flows_compressed_both_ways(string method)
    {
        SshAlgorithms algorithms = SshAlgorithms.Default with { Compression = [method, "none"] };
        var clientLogs = new LogCollector(SshLogEvents.Transport.CompressionStarted);
        var serverLogs = new LogCollector(SshLogEvents.Transport.CompressionStarted);
        string text = string.Concat(Enumerable.Repeat("compressible line of text\n", 20_000));
        SshServerOptions server = InMemoryServer.DefaultServerOptions(async p =>
        {
            string input = await p.Stdin.ReadToEndAsync();
            await p.Stdout.WriteAsync(input.Length + "\n" + text);
        }) with { Algorithms = algorithms, LoggerFactory = serverLogs };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Algorithms = algorithms, LoggerFactory = clientLogs };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        Assert.Equal(method, pair.Client.Compression);
        SshCompletedProcess result = await pair.Client.RunAsync("x", new SshProcessOptions { Input = Encoding.ASCII.GetBytes(text) }).WaitAsync(TestTimeout.Default);
        Assert.Equal(text.Length + "\n" + text, result.Stdout);
        Assert.Equal(["incoming " + method, "outgoing " + method], Started(clientLogs));
        Assert.Equal(["incoming " + method, "outgoing " + method], Started(serverLogs));

        // A re-key starts fresh streams on both sides (as OpenSSH does).
        pair.Client.Rekey();
        result = await pair.Client.RunAsync("y", new SshProcessOptions { Input = Encoding.ASCII.GetBytes("abc") }).WaitAsync(TestTimeout.Default);
        Assert.StartsWith("3\ncompressible", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(["incoming " + method, "incoming " + method, "outgoing " + method, "outgoing " + method], Started(clientLogs));
        Assert.Equal(["incoming " + method, "incoming " + method, "outgoing " + method, "outgoing " + method], Started(serverLogs));
    }

    /// <summary>"direction method" of each zlib stream started so far, sorted (the reader and writer log from their own threads).</summary>
    internal static string[] Started(LogCollector logs) =>
        [.. logs.Entries.Select(e => e.Value<string>("Direction") + " " + e.Value<string>("Method")).Order(StringComparer.Ordinal)];

    [Fact]
    public void None_comes_first_by_default() => Assert.Equal("none", SshAlgorithms.Default.Compression[0]);
}
