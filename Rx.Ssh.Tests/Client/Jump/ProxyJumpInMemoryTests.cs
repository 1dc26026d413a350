using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Client.Jump;

/// <summary>
/// Jump hosts with our own server as the jump host, all in memory (no sockets): the first hop from
/// an <see cref="SshHost"/> with <see cref="SshHost.OpenStream"/>, its <c>direct-tcpip</c> channels
/// served by a second in-memory server as the target.
/// </summary>
public sealed class ProxyJumpInMemoryTests
{
    [Fact]
    public async Task An_in_memory_jump_host_reaches_an_in_memory_target()
    {
        await using var target = new InMemorySshServer(InMemoryServer.DefaultServerOptions(Echo));
        var asked = new List<string>();
        await using InMemorySshServer jump = JumpTo(target, asked);

        SshClientOptions options = InMemoryServer.DefaultClientOptions() with { ProxyJump = [new SshProxyJump(jump.GetHost(InMemoryServer.DefaultClientOptions(), "bastion"))] };
        await using SshClientConnection conn = await SshClient.ConnectAsync("db.internal", 2222, options).WaitAsync(TestTimeout.Default);

        Assert.Equal("ran whoami as alice\n", (await conn.RunAsync("whoami").WaitAsync(TestTimeout.Default)).Stdout);
        Assert.Equal(["db.internal:2222"], asked);
        Assert.Equal("db.internal", conn.Host);
    }

    [Fact]
    public async Task A_refusing_in_memory_jump_host_is_named_with_its_reason_and_text()
    {
        await using var jump = new InMemorySshServer(InMemoryServer.DefaultServerOptions() with
        {
            DirectForwardPolicy = r => ValueTask.FromResult(SshForwardDecision.Refuse(ChannelOpenFailureReason.AdministrativelyProhibited, $"no way to {r.Host}")),
        });
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with { ProxyJump = [new SshProxyJump(jump.GetHost(InMemoryServer.DefaultClientOptions(), "bastion"))] };
        Task<SshServerConnection> accepted = jump.Connections.FirstAsync().ToTask();

        SshProxyJumpException e = await Assert.ThrowsAsync<SshProxyJumpException>(() => SshClient.ConnectAsync("db.internal", 22, options).WaitAsync(TestTimeout.Default));

        Assert.Equal(("bastion", 22, SshProxyJumpFailure.OpenChannel), (e.JumpHost, e.JumpPort, e.Failure));
        Assert.Contains("no way to db.internal", e.Message, StringComparison.Ordinal);
        Assert.Null(await (await accepted.WaitAsync(TestTimeout.Default)).Completion.WaitAsync(TestTimeout.Default)); // the hop was disconnected
    }

    [Fact]
    public async Task A_failed_login_at_the_target_closes_the_jump_host_connection()
    {
        await using var target = new InMemorySshServer(InMemoryServer.DefaultServerOptions(Echo));
        await using InMemorySshServer jump = JumpTo(target, []);
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with
        {
            Password = "wrong",
            ProxyJump = [new SshProxyJump(jump.GetHost(InMemoryServer.DefaultClientOptions(), "bastion"))],
        };
        Task<SshServerConnection> accepted = jump.Connections.FirstAsync().ToTask();

        // The target's own failure is not a jump host's: it comes through as it is.
        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => SshClient.ConnectAsync("db.internal", 22, options).WaitAsync(TestTimeout.Default));
        Assert.Null(await (await accepted.WaitAsync(TestTimeout.Default)).Completion.WaitAsync(TestTimeout.Default)); // the hop was disconnected
    }

    [Fact]
    public async Task The_jump_host_going_away_ends_the_target_connection_naming_it()
    {
        await using var target = new InMemorySshServer(InMemoryServer.DefaultServerOptions(Echo));
        InMemorySshServer jump = JumpTo(target, []);
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with { ProxyJump = [new SshProxyJump(jump.GetHost(InMemoryServer.DefaultClientOptions(), "bastion"))] };
        await using SshClientConnection conn = await SshClient.ConnectAsync("db.internal", 22, options).WaitAsync(TestTimeout.Default);

        await jump.DisposeAsync();

        SshProxyJumpException e = Assert.IsType<SshProxyJumpException>(await conn.Completion.WaitAsync(TestTimeout.Default));
        Assert.Equal(("bastion", 0, SshProxyJumpFailure.ConnectionLost), (e.JumpHost, e.HopIndex, e.Failure));
        Assert.IsAssignableFrom<SshConnectionException>(e.InnerException);
    }

    [Fact]
    public async Task A_jump_host_that_never_answers_the_channel_open_times_out_naming_it()
    {
        var never = new TaskCompletionSource<SshForwardDecision>();
        await using var jump = new InMemorySshServer(InMemoryServer.DefaultServerOptions() with { DirectForwardPolicy = _ => new ValueTask<SshForwardDecision>(never.Task) });
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
            ProxyJump = [new SshProxyJump(jump.GetHost(InMemoryServer.DefaultClientOptions(), "bastion"))],
        };

        SshProxyJumpException e = await Assert.ThrowsAsync<SshProxyJumpException>(() => SshClient.ConnectAsync("db.internal", 22, options).WaitAsync(TestTimeout.Default));

        Assert.Equal(SshProxyJumpFailure.OpenChannel, e.Failure);
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
        never.TrySetResult(SshForwardDecision.Refuse(ChannelOpenFailureReason.ConnectFailed, "late"));
    }

    [Fact]
    public async Task A_jump_chain_that_names_itself_again_and_again_stops_at_the_hop_limit()
    {
        // A first hop whose own options jump through the same host: what a careless "Host *" ProxyJump gives.
        SshClientOptions loop = InMemoryServer.DefaultClientOptions();
        for (int i = 0; i < SshProxyJump.MaxHops + 1; i++)
        {
            loop = loop with { ProxyJump = [new SshProxyJump("bastion", 22, loop)] };
        }

        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => SshClient.ConnectAsync("db.internal", 22, loop).WaitAsync(TestTimeout.Default));
        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
    }

    private static async Task Echo(SshServerProcess process) =>
        await process.Stdout.WriteLineAsync($"ran {process.Command} as {process.UserName}");

    /// <summary>A jump host whose direct-tcpip channels are served as SSH connections by <paramref name="target"/>, whatever the destination.</summary>
    private static InMemorySshServer JumpTo(InMemorySshServer target, List<string> asked) =>
        new(InMemoryServer.DefaultServerOptions() with
        {
            DirectForwardPolicy = r =>
            {
                lock (asked)
                {
                    asked.Add($"{r.Host}:{r.Port}");
                }

                return ValueTask.FromResult(SshForwardDecision.Handle(async (stream, ct) =>
                {
                    SshServerConnection served = await SshServer.AcceptAsync(stream, target.Options, null, ct);
                    await using (served)
                    {
                        await served.Completion.WaitAsync(ct);
                    }
                }));
            },
        });
}
