using Rx.Ssh.Session;

namespace Rx.Ssh.Server;

/// <summary>
/// A server process's stdout or stderr (the server's half of <see cref="SshProcessWriter"/>):
/// text goes through the line editor when it is on (<c>\n</c> as <c>\r\n</c>, a partly typed line
/// redrawn after it), bytes go unchanged, both in order on the channel's output. EOF is the
/// channel's (it ends stdout and stderr together), so copies do not send it unless asked.
/// </summary>
internal sealed class ServerOutputPart(SshServerChannel channel, uint? dataType) : ProcessWriterPart
{
    public override bool EndsAfterCopy => false;

    public override Connection.SshChannel Channel => channel.Inner;

    public override long MaxQueuedBytes => channel.Connection.ChannelSettings.MaxQueuedOutputBytes;

    public override Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        dataType is null ? channel.WriteAsync(data, cancellationToken) : channel.WriteStderrAsync(data, cancellationToken);

    public override Task WriteAsync(string text, CancellationToken cancellationToken) =>
        dataType is null ? channel.WriteAsync(text, cancellationToken) : channel.WriteStderrAsync(text, cancellationToken);

    public override void Write(string text)
    {
        if (dataType is null)
        {
            channel.Write(text);
        }
        else
        {
            channel.WriteStderr(text);
        }
    }

    public override Task SendEofAsync(CancellationToken cancellationToken) => channel.SendEofAsync();
}
