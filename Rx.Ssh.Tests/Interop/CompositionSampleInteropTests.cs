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
    public async Task GatherResultsRunsOnEachHostInListOrder()
    {
        string[] hosts = [$"{SshdServer.Host}:{_server.Port}", $"{SshdServer.UserName}@{SshdServer.Host}"];

        (int code, string output) = await RunAsync("gather_results", hosts);

        string[] heads = [.. output.Split('\n').Where(line => line.StartsWith("Task ", StringComparison.Ordinal))];
        Assert.Equal(2, heads.Length);
        Assert.StartsWith($"Task 1 to host {hosts[0]} ", heads[0], StringComparison.Ordinal);
        Assert.StartsWith($"Task 2 to host {hosts[1]} ", heads[1], StringComparison.Ordinal);
        Assert.DoesNotContain(" failed: ", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split('\n').Count(line => line == new string('-', 75)));
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
