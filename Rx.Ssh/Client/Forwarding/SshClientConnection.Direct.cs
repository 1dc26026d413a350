using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh;

// Direct channels (RFC 4254 section 7.2, OpenSSH PROTOCOL section 2.4): a byte channel to a host
// and port, or a UNIX socket path, as the server resolves and connects it.
public sealed partial class SshClientConnection
{
    /// <summary>
    /// Opens a <c>direct-tcpip</c> channel: the server connects to <paramref name="host"/>:<paramref name="port"/>
    /// (resolved on the server) and the returned stream carries that TCP connection's bytes. Half-close
    /// works as TCP's: <see cref="SshChannelStream.CompleteWritingAsync"/> sends EOF (the server shuts
    /// its socket for sending) while reading goes on, and a read returns 0 once the destination
    /// closed its sending side. Flow control is the channel's window, end to end. Dispose the stream to close the connection.
    /// </summary>
    /// <param name="host">The destination host as the server resolves it (name or address).</param>
    /// <param name="port">The destination port, 1 to 65535.</param>
    /// <param name="originatorHost">The originator address reported to the server; <c>127.0.0.1</c> when null.</param>
    /// <param name="originatorPort">The originator port reported to the server; 0 when unknown.</param>
    /// <param name="settings">Our window and packet size; the connection's when null.</param>
    /// <param name="cancellationToken">Stops waiting for the server's answer.</param>
    /// <returns>The open channel as a duplex stream, owned by the caller.</returns>
    /// <exception cref="SshChannelOpenException">The server refused or could not connect (e.g. <see cref="ChannelOpenFailureReason.ConnectFailed"/>, <see cref="ChannelOpenFailureReason.AdministrativelyProhibited"/>), with its text; the connection lives on.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public Task<SshChannelStream> OpenDirectTcpAsync(
        string host,
        int port,
        string? originatorHost = null,
        int originatorPort = 0,
        SshChannelSettings? settings = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ForwardingWire.CheckPort(port, nameof(port), allowZero: false);
        ForwardingWire.CheckPort(originatorPort, nameof(originatorPort), allowZero: true);
        byte[] data = ForwardingWire.DirectTcpipData(host, port, originatorHost ?? "127.0.0.1", originatorPort);
        return OpenChannelAsync(ForwardingWire.DirectTcpip, data, settings, cancellationToken);
    }

    /// <summary>
    /// Opens a <c>direct-streamlocal@openssh.com</c> channel: the server connects to the UNIX socket
    /// at <paramref name="path"/> (on the server's host). Same stream semantics as
    /// <see cref="OpenDirectTcpAsync"/>.
    /// </summary>
    /// <param name="path">The socket path on the server.</param>
    /// <param name="settings">Our window and packet size; the connection's when null.</param>
    /// <param name="cancellationToken">Stops waiting for the server's answer.</param>
    /// <returns>The open channel as a duplex stream, owned by the caller.</returns>
    /// <exception cref="SshChannelOpenException">The server refused or could not connect, with its reason and text.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public Task<SshChannelStream> OpenDirectStreamLocalAsync(string path, SshChannelSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OpenChannelAsync(ForwardingWire.DirectStreamLocal, ForwardingWire.DirectStreamLocalData(path), settings, cancellationToken);
    }

    /// <summary>
    /// A direct TCP connection as an observable of the chunks the destination sends, fed by
    /// <paramref name="input"/>: each chunk of <paramref name="input"/> is written in order (waiting
    /// for window), its completion sends EOF (half-close: the destination's data keeps coming) and its
    /// error closes the channel and fails the subscription.
    /// </summary>
    /// <remarks>
    /// Cold: each subscription opens its own <c>direct-tcpip</c> channel and subscribes to
    /// <paramref name="input"/> once the channel is open. The observable completes when the destination
    /// has sent EOF (or the channel closed) and the input is written; a refusal fails it with
    /// <see cref="SshChannelOpenException"/>, a lost connection with <see cref="SshConnectionException"/>.
    /// Disposing the subscription closes the channel (and unsubscribes from the input). Each chunk owns
    /// its bytes. Back-pressure: window goes back to the server when <c>OnNext</c> returns; the input is
    /// not back-pressured (chunks wait in order for the window), so bound it yourself if it is fast.
    /// </remarks>
    /// <param name="host">The destination host as the server resolves it.</param>
    /// <param name="port">The destination port, 1 to 65535.</param>
    /// <param name="input">What to send; <see cref="Observable.Never{TResult}()"/> keeps the sending side open, <see cref="Observable.Empty{TResult}()"/> sends EOF at once.</param>
    /// <returns>The received chunks.</returns>
    public IObservable<ReadOnlyMemory<byte>> DirectTcp(string host, int port, IObservable<ReadOnlyMemory<byte>> input)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ForwardingWire.CheckPort(port, nameof(port), allowZero: false);
        ArgumentNullException.ThrowIfNull(input);
        return Observable.Create<ReadOnlyMemory<byte>>(async (observer, cancellationToken) =>
        {
            await using SshChannelStream channel = await OpenDirectTcpAsync(host, port, cancellationToken: cancellationToken).ConfigureAwait(false);
            Task writing = input
                .Select(chunk => Observable.FromAsync(ct => channel.WriteAsync(chunk, ct).AsTask()))
                .Concat()
                .DefaultIfEmpty()
                .LastAsync()
                .SelectMany(_ => Observable.FromAsync(ct => channel.CompleteWritingAsync(ct).AsTask()))
                .ToTask(cancellationToken);
            Task reading = ReadAllAsync(channel, observer, cancellationToken);
            Task first = await Task.WhenAny(reading, writing).ConfigureAwait(false);
            if (first.IsFaulted || first.IsCanceled)
            {
                IO.TaskFaults.Observe(first == reading ? writing : reading); // the other ends when the channel is disposed
                await first.ConfigureAwait(false);
            }

            await Task.WhenAll(reading, writing).ConfigureAwait(false);
            observer.OnCompleted();
        });
    }

    private static async Task ReadAllAsync(SshChannelStream channel, IObserver<ReadOnlyMemory<byte>> observer, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        int n;
        while ((n = await channel.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            observer.OnNext(buffer.AsSpan(0, n).ToArray());
        }
    }
}
