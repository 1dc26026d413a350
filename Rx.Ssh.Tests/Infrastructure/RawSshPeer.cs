using Rx.Ssh.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// What a scripted peer (<see cref="RawSshClient"/>, <see cref="RawSshServer"/>) does above the
/// library's own transport: send exactly the payloads a test builds, read the next one, wait for
/// the disconnect. Its transport reads only when the test asks, so not reading is a peer that
/// never reads.
/// </summary>
internal abstract class RawSshPeer : IAsyncDisposable
{
    protected RawSshPeer(SshTransport transport) => Transport = transport;

    public SshTransport Transport { get; }

    /// <summary>Sends one payload built by <paramref name="build"/>.</summary>
    public async Task SendAsync(Action<SshWriter> build)
    {
        using var buffer = new SshBuffer();
        build(buffer.Writer);
        await Transport.SendAsync(buffer).AsTask().WaitAsync(TestTimeout.Default);
    }

    /// <summary>The next payload above the transport layer (copied).</summary>
    public async Task<byte[]> ReceiveAsync()
    {
        ReadOnlyMemory<byte> payload = await Transport.ReceiveAsync(CancellationToken.None).AsTask().WaitAsync(TestTimeout.Default);
        return payload.ToArray();
    }

    /// <summary>Reads until the other side disconnects; returns the error (its DISCONNECT, or the connection lost).</summary>
    public async Task<SshConnectionException> ExpectDisconnectAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeout.Default);
        try
        {
            while (true)
            {
                await Transport.ReceiveAsync(cts.Token);
            }
        }
        catch (SshConnectionException ex)
        {
            return ex;
        }
    }

    public ValueTask DisposeAsync() => Transport.DisposeAsync();
}
