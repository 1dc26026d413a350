using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// <see cref="SshChannelStream.GrowWindow"/>: the peer, held at the window by a reader that reads
/// nothing, may send exactly the added bytes more at once; the grown window stays (refilled as
/// data is read); nonsense is refused and the cap holds.
/// </summary>
public sealed class ChannelWindowGrowthTests
{
    private const int Window = 64 * 1024;

    [Fact]
    public async Task Growing_the_window_lets_a_held_sender_send_that_much_more_before_anything_is_read()
    {
        var accepted = new TaskCompletionSource<SshChannelStream>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with
        {
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler>
            {
                ["sink@rx-ssh.test"] = (pending, _) =>
                {
                    accepted.SetResult(pending.Accept(new SshChannelSettings { WindowSize = Window, MaxPacketSize = 16384 }));
                    return ValueTask.CompletedTask;
                },
            },
        });
        await using SshChannelStream client = await pair.Client.OpenChannelAsync("sink@rx-ssh.test", default).WithTimeout();
        await using SshChannelStream server = await accepted.Task.WithTimeout();

        // Three windows' worth, written in one go: the first window goes, then the writer waits.
        byte[] data = new byte[3 * Window];
        Random.Shared.NextBytes(data);
        Task writing = client.WriteAsync(data).AsTask();
        await pair.Client.SendGlobalRequestAsync("ping@rx-ssh.test", default).WithTimeout();
        Assert.False(writing.IsCompleted, "the client sent past a window nobody read");

        // Two more windows: the rest goes through while the server still reads nothing.
        Assert.Equal((uint)(3 * Window), server.GrowWindow(2 * Window));
        await writing.WithTimeout();
        Assert.Equal((uint)(3 * Window), server.WindowSize);

        byte[] received = new byte[data.Length];
        await server.ReadExactlyAsync(received).AsTask().WithTimeout();
        Assert.Equal(data, received);

        // The larger window is refilled as it is read: another three windows go through.
        Task again = client.WriteAsync(data).AsTask();
        await server.ReadExactlyAsync(received).AsTask().WithTimeout();
        await again.WithTimeout();
        Assert.Equal(data, received);

        Assert.Throws<ArgumentOutOfRangeException>(() => server.GrowWindow(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => server.GrowWindow(-1));
        Assert.Equal((uint)SshChannelSettings.MaxWindowSize, server.GrowWindow(int.MaxValue));
        Assert.Equal((uint)SshChannelSettings.MaxWindowSize, server.GrowWindow(1));
    }
}
