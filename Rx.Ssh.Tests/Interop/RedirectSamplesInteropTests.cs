using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>The redirection samples against OpenSSH's sshd (the tour runs them against the embedded server).</summary>
[Collection(SshdCollection.Name)]
public sealed class RedirectSamplesInteropTests(SshdFixture fixture)
{
    [Theory]
    [InlineData("redirect_input", "3\n2\n1\n")]
    [InlineData("redirect_local_pipe", "HELLO FROM A LOCAL PROCESS!\n")]
    [InlineData("redirect_remote_pipe", "HELLO, WORLD!\n")]
    public async Task SampleWorksAgainstSshd(string name, string expected)
    {
        var output = new StringWriter();
        var context = new SampleContext
        {
            Host = SshdServer.Host,
            Port = fixture.Server.Port,
            UserName = SshdServer.UserName,
            Keys = [TestKeys.Ed25519.PrivateKeyPath],
            KnownHosts = fixture.Server.KnownHostsPath,
            Out = output,
            Error = output,
        };

        int code = await SampleCatalog.Find(name)!.RunAsync(context).WaitAsync(TestTimeout.Long);

        Assert.True(code == 0, output.ToString());
        Assert.EndsWith(expected, output.ToString(), StringComparison.Ordinal);
    }
}
