using System.Runtime.ExceptionServices;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// A connection closed in order by either side ends its dispatch loop without an exception thrown
/// and rethrown up the loop's awaits (the transport hands the end back as an empty payload): a
/// server taking many connections a second spends nothing there, and a debugger set to break on
/// thrown exceptions does not stop at every disconnect. Counted process-wide, so this runs on its own.
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class OrderlyCloseTests
{
    private const int Cycles = 20;

    [Fact]
    public async Task Connections_closed_by_the_client_throw_no_connection_errors_on_either_side()
    {
        int thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is SshConnectionException { Reason: DisconnectReason.ByApplication })
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (int i = 0; i < Cycles; i++)
            {
                Task<Exception?> serverEnd;
                await using (InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("hi"))))
                {
                    serverEnd = pair.Server.Completion;
                    Assert.Equal("hi", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
                    await pair.Client.DisposeAsync();
                    Assert.Null(await pair.Client.Completion.WaitAsync(TestTimeout.Default));
                }

                // The server saw the client's DISCONNECT (by application): a clean end.
                Assert.Null(await serverEnd.WaitAsync(TestTimeout.Default));
            }
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        // Before: six per cycle (the peer's DISCONNECT thrown and rethrown four times, our own end twice);
        // now none, with room for a straggler of an earlier test ending meanwhile.
        Assert.True(Volatile.Read(ref thrown) < Cycles, $"{thrown} by-application connection errors were thrown in {Cycles} orderly closes.");
    }
}
