using System.Reactive.Linq;
using System.Text.RegularExpressions;
using Rx.Ssh.Client.Expect;

namespace Rx.Ssh;

/// <summary>The expect surface: wait for a prompt on stdout, send a line.</summary>
public sealed partial class SshClientProcess
{
    private readonly SshExpectOptions _expectOptions;
    private readonly bool _hasTerminal;
    private readonly ExpectBuffer _expectBuffer;

    /// <summary>
    /// The line ending <see cref="SendLineAsync"/> uses: <see cref="SshExpectOptions.LineEnding"/>, else
    /// <c>"\r"</c> with a pty and <c>"\n"</c> without.
    /// </summary>
    public string LineEnding => _expectOptions.LineEnding ?? (_hasTerminal ? "\r" : "\n");

    /// <summary>
    /// Reads stdout until <paramref name="text"/> appears (a prompt need not end a line) and returns the
    /// text before it and the match. What follows the match stays for the next expect. Text is UTF-8
    /// decoded with characters split across packets kept whole. With a pty, stderr is part of stdout (the
    /// terminal merges them); without one, only stdout is searched.
    /// </summary>
    /// <param name="text">The text to wait for.</param>
    /// <param name="timeout">How long to wait; null: <see cref="SshExpectOptions.Timeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <param name="cancellationToken">Stops waiting (<see cref="OperationCanceledException"/>); text received stays buffered.</param>
    /// <exception cref="SshExpectTimeoutException">The timeout passed first; the text received stays buffered for the next expect.</exception>
    /// <exception cref="SshExpectEndOfStreamException">stdout ended (EOF, exit) first.</exception>
    /// <exception cref="SshExpectBufferLimitException">More than <see cref="SshExpectOptions.MaxBufferChars"/> arrived without a match (the buffer is emptied).</exception>
    /// <exception cref="InvalidOperationException">Another read of stdout is in progress (expects are one at a time, and do not mix with other readers of stdout).</exception>
    public Task<SshExpectMatch> ExpectAsync(string text, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExpectCoreAsync(ExpectPattern.Of(text), timeout, cancellationToken);

    /// <summary>
    /// Reads stdout until <paramref name="pattern"/> matches the text received since the previous match;
    /// otherwise as <see cref="ExpectAsync(string, TimeSpan?, CancellationToken)"/>. The expression is run
    /// over the whole unmatched text each time more arrives, so anchor it with care (<c>$</c> matches the
    /// end of what has arrived so far). The match's groups are in <see cref="SshExpectMatch.RegexMatch"/>.
    /// </summary>
    /// <exception cref="SshExpectTimeoutException">The timeout passed first.</exception>
    /// <exception cref="SshExpectEndOfStreamException">stdout ended first.</exception>
    /// <exception cref="SshExpectBufferLimitException">Too much arrived without a match.</exception>
    public Task<SshExpectMatch> ExpectAsync(Regex pattern, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExpectCoreAsync(ExpectPattern.Of(pattern), timeout, cancellationToken);

    /// <summary>
    /// <see cref="ExpectAsync(string, TimeSpan?, CancellationToken)"/> as a single-value observable.
    /// Cold: each subscription is one expect (one at a time); disposing stops waiting.
    /// </summary>
    public IObservable<SshExpectMatch> Expect(string text, TimeSpan? timeout = null) => Observable.FromAsync(ct => ExpectAsync(text, timeout, ct));

    /// <summary><see cref="ExpectAsync(Regex, TimeSpan?, CancellationToken)"/> as a single-value observable; cold, as <see cref="Expect(string, TimeSpan?)"/>.</summary>
    public IObservable<SshExpectMatch> Expect(Regex pattern, TimeSpan? timeout = null) => Observable.FromAsync(ct => ExpectAsync(pattern, timeout, ct));

    /// <summary>Writes <paramref name="line"/> and <see cref="LineEnding"/> to stdin (one write, so they travel together).</summary>
    public Task SendLineAsync(string line = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Stdin.WriteAsync(line + LineEnding, cancellationToken);
    }

    private async Task<SshExpectMatch> ExpectCoreAsync(ExpectPattern pattern, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        TimeSpan wait = timeout ?? _expectOptions.Timeout;
        if (wait != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        }

        _expectBuffer.Restart();
        if (_expectBuffer.TryMatch(pattern) is { } early)
        {
            return early;
        }

        using var timer = new CancellationTokenSource(wait, _expectOptions.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        while (true)
        {
            string text;
            try
            {
                text = await Stdout.ReadAsync(int.MaxValue, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SshExpectTimeoutException(wait, _expectBuffer.Text, pattern.Display);
            }

            if (text.Length == 0)
            {
                throw new SshExpectEndOfStreamException(_expectBuffer.Text, pattern.Display);
            }

            if (!_expectBuffer.Append(text))
            {
                string received = _expectBuffer.Text;
                _expectBuffer.Clear();
                throw new SshExpectBufferLimitException(_expectOptions.MaxBufferChars, received, pattern.Display);
            }

            if (_expectBuffer.TryMatch(pattern) is { } match)
            {
                return match;
            }
        }
    }
}
