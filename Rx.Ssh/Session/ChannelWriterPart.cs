using System.Text;
using Rx.Ssh.Connection;

namespace Rx.Ssh.Session;

/// <summary>
/// A client process's stdin: raw bytes (text as UTF-8) on the channel's ordered output, and
/// EOF after a copy by default.
/// </summary>
internal sealed class ChannelWriterPart(SshChannel channel, long maxQueuedBytes) : ProcessWriterPart
{
    private readonly ChannelOutput _output = new(channel, maxQueuedBytes);

    public override bool EndsAfterCopy => true;

    public override SshChannel Channel => channel;

    public override long MaxQueuedBytes => maxQueuedBytes;

    public override Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => _output.WriteAsync(data, null, cancellationToken);

    public override Task WriteAsync(string text, CancellationToken cancellationToken) => WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    public override void Write(string text) => _output.Post(Encoding.UTF8.GetBytes(text), null);

    public override Task SendEofAsync(CancellationToken cancellationToken) => _output.EnqueueAsync(() => channel.SendEofAsync(cancellationToken).AsTask());
}
