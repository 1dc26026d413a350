using System.Buffers;

namespace Rx.Ssh.Redirection;

/// <summary>
/// Copies one source into one sink with one pooled buffer: read, await the write, read again.
/// Nothing else is buffered, so the slower side sets the pace (the SSH readers and writers follow
/// the channel windows).
/// </summary>
internal static class RedirectPump
{
    /// <summary>The pump's buffer size (one SSH data packet is at most 32 KiB).</summary>
    public const int BufferSize = 32 * 1024;

    /// <summary>
    /// Runs the copy. Failures become <see cref="SshRedirectException"/> naming
    /// <paramref name="stream"/> and the failing side; cancellation stays
    /// <see cref="OperationCanceledException"/>. After a destination failure,
    /// <paramref name="drainSource"/> (when given) keeps the source flowing (so a remote process's
    /// other stream and its exit are not held up by an unread window).
    /// </summary>
    public static async Task RunAsync(SshSource source, SshSink sink, SshStandardStream stream, CancellationToken cancellationToken, Func<Task>? drainSource = null)
    {
        SourceReader reader;
        try
        {
            reader = source.Open();
        }
        catch (Exception ex)
        {
            await AbortQuietlyAsync(sink).ConfigureAwait(false);
            throw new SshRedirectException(stream, sourceFailed: true, ex);
        }

        SinkWriter writer;
        try
        {
            writer = sink.Open();
        }
        catch (Exception ex)
        {
            await reader.CloseAsync(false).ConfigureAwait(false);
            if (drainSource is not null)
            {
                IO.TaskFaults.Observe(drainSource());
            }

            throw new SshRedirectException(stream, sourceFailed: false, ex);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        bool readToEnd = false;
        bool completing = false;
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await reader.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
                {
                    throw new SshRedirectException(stream, sourceFailed: true, ex);
                }

                if (n == 0)
                {
                    readToEnd = true;
                    break;
                }

                try
                {
                    await writer.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
                {
                    if (drainSource is not null)
                    {
                        IO.TaskFaults.Observe(drainSource());
                    }

                    throw new SshRedirectException(stream, sourceFailed: false, ex);
                }
            }

            completing = true;
            try
            {
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!IsCancellation(ex, cancellationToken))
            {
                throw new SshRedirectException(stream, sourceFailed: false, ex);
            }
        }
        finally
        {
            if (!completing)
            {
                await writer.AbortAsync().ConfigureAwait(false);
            }

            try
            {
                await reader.CloseAsync(readToEnd).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Releasing a broken source; its error (if any) is already on its way.
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Completes when every task has. A failure is reported as soon as it happens with
    /// <paramref name="failFast"/> (the other tasks carry on, their later failures observed), or
    /// once all have finished otherwise; either way the first failure in time is the one thrown.
    /// </summary>
    public static async Task WhenAll(IReadOnlyCollection<Task> tasks, bool failFast)
    {
        var pending = new List<Task>(tasks);
        Task? firstFailure = null;
        while (pending.Count > 0)
        {
            Task done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if ((done.IsFaulted || done.IsCanceled) && firstFailure is null)
            {
                firstFailure = done;
                if (failFast)
                {
                    pending.ForEach(IO.TaskFaults.Observe);
                    break;
                }
            }
            else if (done.IsFaulted)
            {
                _ = done.Exception; // a later failure; the first one is reported
            }
        }

        if (firstFailure is not null)
        {
            await firstFailure.ConfigureAwait(false);
        }
    }

    /// <summary>The source never opened: still end the destination (EOF), so nothing waits on it.</summary>
    private static async Task AbortQuietlyAsync(SshSink sink)
    {
        try
        {
            await sink.AbandonAsync().ConfigureAwait(false);
        }
        catch (SshException)
        {
            // The channel is gone; the source's error is the one to report.
        }
    }

    private static bool IsCancellation(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
}
