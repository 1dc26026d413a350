using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Samples;

namespace Rx.Ssh.Tests.Server;

public sealed class ServerRequestReplyTests
{
    [Fact]
    public async Task ARequestWhoseCallbackExitsIsStillAnsweredBeforeTheClose()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { HandlerFactory = () => new Handler() };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);
        await using InteractiveSession session = await InteractiveSession.StartAsync(pair.Client);

        Assert.True(await session.SendBreakAsync(100));

        Assert.Equal(7, await session.WaitForExitAsync());
        Assert.Equal("break 100\n", session.Stdout.Text);
    }

    private sealed class Handler : SshServerHandler
    {
        public override SshServerSession SessionRequested(SshServerConnection connection) => new ExitOnBreak();
    }

    private sealed class ExitOnBreak : SshServerSession
    {
        public override bool ShellRequested() => true;

        public override bool BreakReceived(int milliseconds)
        {
            Channel.Write($"break {milliseconds}\n");
            Channel.Exit(7);
            return true;
        }
    }
}
