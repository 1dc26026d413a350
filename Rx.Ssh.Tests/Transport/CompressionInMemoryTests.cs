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
        string text = string.Concat(Enumerable.Repeat("compressible line of text\n", 20_000));
        SshServerOptions server = InMemoryServer.DefaultServerOptions(async p =>
        {
            string input = await p.Stdin.ReadToEndAsync();
            await p.Stdout.WriteAsync(input.Length + "\n" + text);
        }) with { Algorithms = algorithms };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Algorithms = algorithms };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        Assert.Equal(method, pair.Client.Compression);
        SshCompletedProcess result = await pair.Client.RunAsync("x", new SshProcessOptions { Input = Encoding.ASCII.GetBytes(text) }).WaitAsync(TestTimeout.Default);
        Assert.Equal(text.Length + "\n" + text, result.Stdout);
        Assert.True(pair.Client.Transport.IsSendCompressionActive);
        Assert.True(pair.Client.Transport.IsReceiveCompressionActive);
        Assert.True(pair.Server.Transport.IsSendCompressionActive);
        Assert.True(pair.Server.Transport.IsReceiveCompressionActive);

        // A re-key starts fresh streams on both sides (as OpenSSH does).
        pair.Client.Rekey();
        result = await pair.Client.RunAsync("y", new SshProcessOptions { Input = Encoding.ASCII.GetBytes("abc") }).WaitAsync(TestTimeout.Default);
        Assert.StartsWith("3\ncompressible", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void None_comes_first_by_default() => Assert.Equal("none", SshAlgorithms.Default.Compression[0]);
}
