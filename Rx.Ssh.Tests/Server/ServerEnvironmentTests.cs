using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>Which environment variables a client may set (<see cref="SshServerOptions.AcceptEnv"/>).</summary>
public sealed class ServerEnvironmentTests
{
    private static readonly Dictionary<string, string> Sent = new()
    {
        ["LANG"] = "en_GB.UTF-8",
        ["LC_COLLATE"] = "C",
        ["lang"] = "lower",
        ["LD_PRELOAD"] = "/tmp/evil.so",
        ["BASH_ENV"] = "/tmp/evil.sh",
        ["PATH"] = "/tmp",
        ["SSH_ORIGINAL_COMMAND"] = "spoofed",
        ["SSH_CONNECTION"] = "1.2.3.4 1 5.6.7.8 22",
        ["FOO"] = "bar",
    };

    private static async Task<string> ReceivedAsync(SshServerOptions options)
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options with
        {
            ProcessHandler = p => p.Stdout.WriteAsync(string.Join(",", p.Environment.Keys.Order(StringComparer.Ordinal))),
        });
        SshCompletedProcess result = await pair.Client.RunAsync("env", new SshProcessOptions { Environment = Sent }).WaitAsync(TestTimeout.Default);
        return result.Stdout;
    }

    [Fact]
    public async Task By_default_only_LANG_and_LC_variables_are_accepted()
    {
        Assert.Equal("LANG,LC_COLLATE", await ReceivedAsync(InMemoryServer.DefaultServerOptions()));
    }

    [Fact]
    public async Task Accepting_everything_still_refuses_the_servers_own_SSH_variables()
    {
        Assert.Equal("BASH_ENV,FOO,LANG,LC_COLLATE,LD_PRELOAD,PATH,lang", await ReceivedAsync(InMemoryServer.DefaultServerOptions() with { AcceptEnv = ["*"] }));
    }

    [Fact]
    public async Task Patterns_are_matched_case_sensitively()
    {
        Assert.Equal("FOO,LANG", await ReceivedAsync(InMemoryServer.DefaultServerOptions() with { AcceptEnv = ["F?O", "LANG", "SSH_*"] }));
    }

    [Fact]
    public async Task A_refused_variable_gets_a_failure_reply_when_the_client_asks_for_one()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => Task.CompletedTask));
        Rx.Ssh.Connection.SshChannel channel = await pair.Client.OpenChannelAsync("session", null, CancellationToken.None).WaitAsync(TestTimeout.Default);

        Assert.False(await channel.SendRequestAsync("env", true, w => { w.WriteString("LD_PRELOAD"); w.WriteString("/tmp/evil.so"); }, CancellationToken.None).WaitAsync(TestTimeout.Default));
        Assert.True(await channel.SendRequestAsync("env", true, w => { w.WriteString("LC_ALL"); w.WriteString("C"); }, CancellationToken.None).WaitAsync(TestTimeout.Default));
        Assert.False(await channel.SendRequestAsync("env", true, w => { w.WriteString("LC_BAD"); w.WriteString("a\0b"); }, CancellationToken.None).WaitAsync(TestTimeout.Default));
    }
}
