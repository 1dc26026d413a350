using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>math_client, gather_results, set_environment and set_terminal against OpenSSH's sshd.</summary>
[Collection(SshdCollection.Name)]
public sealed class CompositionSampleInteropTests
{
    private readonly SshdServer _server;

    public CompositionSampleInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task MathClientTalksToBc()
    {
        (int code, string output) = await RunAsync("math_client");

        Assert.Equal("2+2 = 4\n1*2*3*4 = 24\n2^32 = 4294967296\n", output);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task SetEnvironmentIsAcceptedBySshd()
    {
        (int code, string output) = await RunAsync("set_environment");

        string[] lines = output.Split('\n');
        Assert.Contains("LANG=en_GB", lines);
        Assert.Contains("LC_COLLATE=C", lines);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task SetTerminalGetsAnXtermColorPty()
    {
        (int code, string output) = await RunAsync("set_terminal");

        Assert.Equal(["xterm-color", "24 80"], output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task GatherResultsRunsOnEachHost()
    {
        (int code, string output) = await RunAsync("gather_results", [$"{SshdServer.Host}:{_server.Port}", $"{SshdServer.UserName}@{SshdServer.Host}"]);

        Assert.Equal(2, output.Split("== ", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains($"== {SshdServer.Host}:{_server.Port}: exit status 0\n", output, StringComparison.Ordinal);
        Assert.Equal(0, code);
    }

    private async Task<(int Code, string Output)> RunAsync(string name, string[]? hosts = null)
    {
        var output = new StringWriter();
        var context = new SampleContext
        {
            Host = SshdServer.Host,
            Port = _server.Port,
            AllHosts = hosts ?? [],
            UserName = SshdServer.UserName,
            Keys = [TestKeys.Ed25519.PrivateKeyPath],
            KnownHosts = _server.KnownHostsPath,
            Out = output,
            Error = output,
        };
        int code = await SampleCatalog.Find(name)!.RunAsync(context).WithTimeout(TestTimeout.Long);
        return (code, output.ToString());
    }
}
