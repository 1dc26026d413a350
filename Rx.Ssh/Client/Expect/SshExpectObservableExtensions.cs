using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Rx.Ssh.Client.Expect;

namespace Rx.Ssh;

/// <summary>Expect on any text (or UTF-8 byte) observable: a process's <c>Stdout.Text</c>, <c>Output</c>, a merged fleet stream.</summary>
/// <remarks>
/// <para>Each operator subscribes to the source when subscribed to, emits the first match (the text
/// before it and the match) and completes, disposing its source subscription; so on a cold source
/// (<see cref="SshProcessReader.Text"/>, say) each subscription reads afresh, and on a hot one it sees
/// only what is emitted after it subscribed. Text after the match in the same chunk is not kept: for
/// a dialogue of several prompts use <see cref="SshClientProcess.ExpectAsync(string, TimeSpan?, CancellationToken)"/>,
/// which keeps it, or <c>Publish</c> the source and chain expects on the shared stream.</para>
/// <para>Errors: <see cref="SshExpectTimeoutException"/> when <c>timeout</c> passes first (measured on
/// <c>scheduler</c>, default <see cref="DefaultScheduler.Instance"/>, so tests can use virtual time);
/// <see cref="SshExpectEndOfStreamException"/> when the source completes first;
/// <see cref="SshExpectBufferLimitException"/> past <c>maxBufferChars</c> unmatched characters; the
/// source's own error as it is. Every error carries the text received.</para>
/// </remarks>
public static class SshExpectObservableExtensions
{
    /// <summary>Waits for <paramref name="text"/> in the source's text; see the class remarks.</summary>
    public static IObservable<SshExpectMatch> Expect(this IObservable<string> source, string text, TimeSpan timeout, IScheduler? scheduler = null, int maxBufferChars = SshExpectOptions.DefaultMaxBufferChars) =>
        ExpectCore(source, ExpectPattern.Of(text), timeout, scheduler, maxBufferChars);

    /// <summary>Waits until <paramref name="pattern"/> matches the source's text (run over all text received so far on each chunk); see the class remarks.</summary>
    public static IObservable<SshExpectMatch> Expect(this IObservable<string> source, Regex pattern, TimeSpan timeout, IScheduler? scheduler = null, int maxBufferChars = SshExpectOptions.DefaultMaxBufferChars) =>
        ExpectCore(source, ExpectPattern.Of(pattern), timeout, scheduler, maxBufferChars);

    /// <summary>Decodes the bytes as UTF-8 (see <see cref="DecodeUtf8"/>) and waits for <paramref name="text"/>.</summary>
    public static IObservable<SshExpectMatch> Expect(this IObservable<ReadOnlyMemory<byte>> source, string text, TimeSpan timeout, IScheduler? scheduler = null, int maxBufferChars = SshExpectOptions.DefaultMaxBufferChars) =>
        ExpectCore(source.DecodeUtf8(), ExpectPattern.Of(text), timeout, scheduler, maxBufferChars);

    /// <summary>Decodes the bytes as UTF-8 (see <see cref="DecodeUtf8"/>) and waits until <paramref name="pattern"/> matches.</summary>
    public static IObservable<SshExpectMatch> Expect(this IObservable<ReadOnlyMemory<byte>> source, Regex pattern, TimeSpan timeout, IScheduler? scheduler = null, int maxBufferChars = SshExpectOptions.DefaultMaxBufferChars) =>
        ExpectCore(source.DecodeUtf8(), ExpectPattern.Of(pattern), timeout, scheduler, maxBufferChars);

    /// <summary>
    /// Decodes a byte stream as UTF-8 text, one string per chunk that completes a character: the
    /// bytes of a character split across chunks are held until it is whole (a chunk holding only
    /// such bytes emits nothing); invalid bytes become U+FFFD; an unfinished character at the end
    /// is emitted as U+FFFD. Each subscription decodes on its own (cold as the source is).
    /// </summary>
    public static IObservable<string> DecodeUtf8(this IObservable<ReadOnlyMemory<byte>> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Observable.Create<string>(observer =>
        {
            Decoder decoder = Encoding.UTF8.GetDecoder();
            return source.Subscribe(
                chunk =>
                {
                    char[] chars = new char[decoder.GetCharCount(chunk.Span, flush: false)];
                    int n = decoder.GetChars(chunk.Span, chars, flush: false);
                    if (n > 0)
                    {
                        observer.OnNext(new string(chars, 0, n));
                    }
                },
                observer.OnError,
                () =>
                {
                    char[] chars = new char[decoder.GetCharCount([], flush: true)];
                    int n = decoder.GetChars([], chars, flush: true);
                    if (n > 0)
                    {
                        observer.OnNext(new string(chars, 0, n));
                    }

                    observer.OnCompleted();
                });
        });
    }

    private static IObservable<SshExpectMatch> ExpectCore(IObservable<string> source, ExpectPattern pattern, TimeSpan timeout, IScheduler? scheduler, int maxBufferChars)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBufferChars);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        }

        return Observable.Create<SshExpectMatch>(observer =>
        {
            var buffer = new ExpectBuffer(maxBufferChars);
            var gate = new object();
            bool done = false;
            var subscription = new SingleAssignmentDisposable();
            var timer = new SingleAssignmentDisposable();

            // Decides the outcome once, under the gate; the observer is called outside it.
            void Finish(Func<Action?> decide)
            {
                Action? signal;
                lock (gate)
                {
                    if (done)
                    {
                        return;
                    }

                    signal = decide();
                    if (signal is null)
                    {
                        return;
                    }

                    done = true;
                }

                timer.Dispose();
                subscription.Dispose();
                signal();
            }

            if (timeout != Timeout.InfiniteTimeSpan)
            {
                timer.Disposable = (scheduler ?? DefaultScheduler.Instance).Schedule(timeout, () =>
                    Finish(() =>
                    {
                        var error = new SshExpectTimeoutException(timeout, buffer.Text, pattern.Display);
                        return () => observer.OnError(error);
                    }));
            }

            subscription.Disposable = source.Subscribe(
                text => Finish(() =>
                {
                    if (!buffer.Append(text))
                    {
                        var error = new SshExpectBufferLimitException(maxBufferChars, buffer.Text, pattern.Display);
                        return () => observer.OnError(error);
                    }

                    if (buffer.TryMatch(pattern) is not { } match)
                    {
                        return null;
                    }

                    return () =>
                    {
                        observer.OnNext(match);
                        observer.OnCompleted();
                    };
                }),
                error => Finish(() => () => observer.OnError(error)),
                () => Finish(() =>
                {
                    var error = new SshExpectEndOfStreamException(buffer.Text, pattern.Display);
                    return () => observer.OnError(error);
                }));
            return new CompositeDisposable(subscription, timer);
        });
    }
}
