using System.IO.Pipelines;
using Rx.Ssh.IO;

namespace Rx.Ssh;

// The IDuplexPipe view: a PipeReader and a PipeWriter over the stream's own read and write paths.
public sealed partial class SshChannelStream
{
    /// <summary>
    /// The channel as an <see cref="IDuplexPipe"/> (System.IO.Pipelines), the same object every
    /// time. <see cref="IDuplexPipe.Input"/> reads channel data (reading claims the channel's input,
    /// see the remarks on <see cref="SshChannelStream"/>); it pulls from the channel only when asked
    /// for more, so the window still tracks what the reader takes. <see cref="IDuplexPipe.Output"/>
    /// writes channel data when flushed; completing it sends EOF (after what was written), reading
    /// goes on. Completing the input, or disposing the pipe, does not close the channel: dispose the stream.
    /// </summary>
    public IDuplexPipe Pipe
    {
        get
        {
            if (_pipe is null)
            {
                // The stream's read path under the pipe's name, and its write path; the adapters are never disposed.
                var input = new ReadOnlyStreamAdapter((buffer, ct) => ReadCoreAsync(PipeForm, buffer, ct));
                var output = new WriteOnlyStreamAdapter((buffer, ct) => WriteAsync(buffer, ct).AsTask());
                var pipe = new DuplexPipe(
                    PipeReader.Create(input, new StreamPipeReaderOptions(leaveOpen: true)),
                    new EofPipeWriter(PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true)), this));
                Interlocked.CompareExchange(ref _pipe, pipe, null);
            }

            return _pipe;
        }
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The stream pipe writer, plus EOF on the channel once it is completed (its buffered data flushed first).</summary>
    private sealed class EofPipeWriter(PipeWriter inner, SshChannelStream owner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) => inner.WriteAsync(source, cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => IO.TaskFaults.Observe(CompleteAsync(exception).AsTask());

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            await inner.CompleteAsync(exception).ConfigureAwait(false);
            await owner.CompleteWritingAsync().ConfigureAwait(false);
        }
    }
}
