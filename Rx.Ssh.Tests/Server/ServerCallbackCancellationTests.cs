using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// Issue 16, item 3: every server callback can see when its work is no longer wanted. A slow
/// password validator and a slow forwarding policy each see their token cancelled when the attempt
/// is gone (login grace over, connection ended), through the context or request (for the options'
/// delegates) and the handler's parameter.
/// </summary>
public sealed class ServerCallbackCancellationTests
{
    [Fact]
    public async Task A_slow_password_validator_sees_its_token_cancelled_when_the_login_grace_runs_out()
    {
        var clock = new VirtualClock();
        var entered = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            Scheduler = clock,
            LoginGraceTime = TimeSpan.FromSeconds(30),
            PasswordValidator = async (context, _) =>
            {
                entered.TrySetResult(context.CancellationToken);
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return true;
            },
        };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPasswordAsync("alice", "secret");
            CancellationToken token = await entered.Task.WaitAsync(TestTimeout.Default);
            clock.AdvanceBy(TimeSpan.FromSeconds(29));
            Assert.False(token.IsCancellationRequested);

            clock.AdvanceBy(TimeSpan.FromSeconds(1));
            await WaitCancelledAsync(token);
            SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
            Assert.Contains("grace", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_handler_gets_the_same_token_as_the_context()
    {
        var seen = new TaskCompletionSource<(CancellationToken Parameter, CancellationToken Context)>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { HandlerFactory = () => new RecordingHandler(seen) };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPasswordAsync("alice", "secret");
            (CancellationToken parameter, CancellationToken context) = await seen.Task.WaitAsync(TestTimeout.Default);
            Assert.Equal(context, parameter);
            Assert.True(parameter.CanBeCanceled);
        }
    }

    [Fact]
    public async Task A_slow_forwarding_policy_sees_its_token_cancelled_when_the_connection_ends()
    {
        var entered = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            DirectForwardPolicy = async request =>
            {
                entered.TrySetResult(request.CancellationToken);
                await Task.Delay(Timeout.Infinite, request.CancellationToken);
                return SshForwardDecision.Allow;
            },
        };
        InMemoryServer pair = await InMemoryServer.StartAsync(options);
        Task<SshChannelStream> open = pair.Client.OpenDirectTcpAsync("127.0.0.1", 9);
        CancellationToken token = await entered.Task.WaitAsync(TestTimeout.Default);
        Assert.False(token.IsCancellationRequested);

        await pair.DisposeAsync();
        await WaitCancelledAsync(token);
        await Assert.ThrowsAnyAsync<Exception>(() => open.WaitAsync(TestTimeout.Default));
    }

    private static async Task WaitCancelledAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(TestTimeout.Default);
    }

    private sealed class RecordingHandler(TaskCompletionSource<(CancellationToken, CancellationToken)> seen) : SshServerHandler
    {
        public override bool PasswordAuthSupported => true;

        public override ValueTask<bool> ValidatePasswordAsync(SshAuthContext context, string password, CancellationToken cancellationToken)
        {
            seen.TrySetResult((cancellationToken, context.CancellationToken));
            return ValueTask.FromResult(false);
        }
    }
}
