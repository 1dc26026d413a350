using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Samples;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>The redirection samples and callback_client against OpenSSH's sshd, stdout and stderr apart (CompositionSampleTests runs them against serve).</summary>
[Collection(SshdCollection.Name)]
public sealed class RedirectSamplesInteropTests(SshdFixture fixture)
{
    [Theory]
    [InlineData("redirect_local_pipe")]
    [InlineData("redirect_remote_pipe")]
    public async Task PipeSamplePrintsTheReversedLines(string name)
    {
        ClientSampleRun run = await ClientSampleRun.RunAsync(name, Context());

        Assert.Equal(new ClientSampleRun(0, "3\n2\n1\n", ""), run);
    }

    [Fact]
    public async Task RedirectInputFillsTheOutputFile()
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-redirect-").FullName;
        try
        {
            string file = Path.Combine(directory, "stdout");

            ClientSampleRun run = await ClientSampleRun.RunAsync("redirect_input", Context() with { Output = file });

            Assert.Equal(new ClientSampleRun(0, "", ""), run);
            Assert.Equal("3\n2\n1\n", await File.ReadAllTextAsync(file));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task CallbackClientPrintsTheConnectionEventsBeforeTheData()
    {
        ClientSampleRun run = await ClientSampleRun.RunAsync("callback_client", Context());

        // ls abc's outcome depends on the sshd user's home; the events' lines do not.
        Assert.StartsWith("Connection made to 127.0.0.1.\nAuthentication successful.\n", run.Out, StringComparison.Ordinal);
        Assert.Equal(("", 0), (run.Error, run.ExitCode));
    }

    private SampleContext Context() =>
        ClientSampleRun.Context(fixture.Server.Port, fixture.Server.KnownHostsPath, TestKeys.Ed25519.PrivateKeyPath, SshdServer.UserName);
}
