using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using System.Text.RegularExpressions;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Client.Expect;

/// <summary>The expect surface against a scripted, device-like shell on the Rx.Ssh server (in memory, with a pty).</summary>
public sealed class ExpectDeviceShellTests
{
    private static readonly SshProcessOptions WithPty = new() { Terminal = new SshTerminal() };

    [Fact]
    public async Task APromptSplitAcrossPacketsIsFoundAndTheCommandOutputComesBeforeTheNextPrompt()
    {
        var firstHalfSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondHalf = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("Welcome to the switch\r\nrou");
            firstHalfSent.TrySetResult();
            await secondHalf.Task;
            await p.Stdout.WriteAsync("ter# ");
            string? command = await p.Stdin.ReadLineAsync();
            await p.Stdout.WriteAsync($"you said {command?.TrimEnd('\r')}\r\nrouter# ");
            await p.Stdin.ReadLineAsync();
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, WithPty).WaitAsync(TestTimeout.Default);
        Task<SshExpectMatch> expecting = process.ExpectAsync("router# ", TestTimeout.Default);
        await firstHalfSent.Task.WaitAsync(TestTimeout.Default);
        secondHalf.TrySetResult();
        SshExpectMatch banner = await expecting.WaitAsync(TestTimeout.Default);
        Assert.Equal("Welcome to the switch\r\n", banner.Before);
        Assert.Equal("router# ", banner.Value);
        Assert.Null(banner.RegexMatch);

        Assert.Equal("\r", process.LineEnding);
        await process.SendLineAsync("show version");
        SshExpectMatch output = await process.ExpectAsync("router# ", TestTimeout.Default).WaitAsync(TestTimeout.Default);
        // Our server's pty echoes what is typed, as a device's terminal does.
        Assert.Equal("show version\r\nyou said show version\r\n", output.Before);
        await process.SendLineAsync("exit");
    }

    [Fact]
    public async Task ARegexPromptMatchesAndExposesItsGroups()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("boot ok\r\ncore-sw");
            await p.Stdout.WriteAsync("01(config)# ");
            await p.Stdin.ReadLineAsync();
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, WithPty).WaitAsync(TestTimeout.Default);
        SshExpectMatch match = await process.ExpectAsync(new Regex(@"(?<host>[\w-]+)(\((?<mode>\w+)\))?# $"), TestTimeout.Default).WaitAsync(TestTimeout.Default);
        Assert.Equal("boot ok\r\n", match.Before);
        Assert.NotNull(match.RegexMatch);
        Assert.Equal("core-sw01", match.RegexMatch.Groups["host"].Value);
        Assert.Equal("config", match.RegexMatch.Groups["mode"].Value);
        await process.SendLineAsync("exit");
    }

    [Fact]
    public async Task AMorePagerIsDrivenPageByPage()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("sw# ");
            await p.Stdin.ReadLineAsync();
            await p.Stdout.WriteAsync("line 1\r\nline 2\r\n --More-- ");
            await p.Stdin.ReadLineAsync();
            await p.Stdout.WriteAsync("\r          \rline 3\r\nsw# ");
            await p.Stdin.ReadLineAsync();
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, WithPty).WaitAsync(TestTimeout.Default);
        await process.ExpectAsync("sw# ", TestTimeout.Default).WaitAsync(TestTimeout.Default);
        await process.SendLineAsync("show run");
        var pages = new StringBuilder();
        var prompt = new Regex(@" --More-- |sw# ");
        while (true)
        {
            SshExpectMatch m = await process.ExpectAsync(prompt, TestTimeout.Default).WaitAsync(TestTimeout.Default);
            pages.Append(m.Before);
            if (m.Value == "sw# ")
            {
                break;
            }

            await process.SendLineAsync();
        }

        string all = pages.ToString();
        Assert.DoesNotContain("--More--", all, StringComparison.Ordinal);
        Assert.True(all.IndexOf("line 2", StringComparison.Ordinal) < all.IndexOf("line 3", StringComparison.Ordinal), all);
        Assert.StartsWith("show run\r\nline 1\r\nline 2\r\n", all, StringComparison.Ordinal);
        Assert.EndsWith("\rline 3\r\n", all, StringComparison.Ordinal);
        await process.SendLineAsync("exit");
    }

    [Fact]
    public async Task ATimeoutIsTypedAndCarriesWhatWasReceivedWhichStaysBuffered()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("Password: ");
            await release.Task;
            await p.Stdout.WriteAsync("\r\nok> ");
            await p.Stdin.ReadLineAsync();
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, WithPty).WaitAsync(TestTimeout.Default);
        await process.ExpectAsync("Pass", TestTimeout.Default).WaitAsync(TestTimeout.Default);
        SshExpectTimeoutException error = await Assert.ThrowsAsync<SshExpectTimeoutException>(() => process.ExpectAsync("ok> ", TimeSpan.FromMilliseconds(200)));
        Assert.Equal("word: ", error.Received);
        Assert.Equal("ok> ", error.Pattern);
        Assert.Equal(TimeSpan.FromMilliseconds(200), error.Timeout);
        Assert.Contains("word: ", error.Message, StringComparison.Ordinal);

        release.TrySetResult();
        SshExpectMatch match = await process.ExpectAsync("ok> ", TestTimeout.Default).WaitAsync(TestTimeout.Default);
        Assert.Equal("word: \r\n", match.Before);
        await process.SendLineAsync("exit");
    }

    [Fact]
    public async Task TheEndOfOutputBeforeTheMatchIsTyped()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("Connection closed by foreign host.");
            p.ExitStatus = 1;
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, WithPty).WaitAsync(TestTimeout.Default);
        SshExpectEndOfStreamException error = await Assert.ThrowsAsync<SshExpectEndOfStreamException>(() => process.ExpectAsync("# ", TestTimeout.Default));
        Assert.Equal("Connection closed by foreign host.", error.Received);
    }

    [Fact]
    public async Task TheBufferIsBounded()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync(new string('x', 5000));
            await p.Stdin.ReadLineAsync();
        }));

        var options = new SshProcessOptions { Terminal = new SshTerminal(), Expect = new SshExpectOptions { MaxBufferChars = 1000 } };
        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, options).WaitAsync(TestTimeout.Default);
        SshExpectBufferLimitException error = await Assert.ThrowsAsync<SshExpectBufferLimitException>(() => process.ExpectAsync("# ", TestTimeout.Default));
        Assert.Equal(1000, error.MaxBufferChars);
        Assert.True(error.Received.Length > 1000);
        await process.SendLineAsync("exit");
    }

    [Fact]
    public async Task AMultiByteCharacterSplitAcrossPacketsIsDecodedWhole()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("Grüße € 𝄞 sw# ");
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            foreach (byte b in bytes)
            {
                await p.Stdout.WriteAsync(new[] { b });
            }

            await p.Stdin.ReadLineAsync();
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, WithPty).WaitAsync(TestTimeout.Default);
        SshExpectMatch match = await process.ExpectAsync("sw# ", TestTimeout.Default).WaitAsync(TestTimeout.Default);
        Assert.Equal("Grüße € 𝄞 ", match.Before);
        await process.SendLineAsync("exit");
    }
}
