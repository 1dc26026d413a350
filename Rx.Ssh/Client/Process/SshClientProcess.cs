using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Connection;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Redirection;

namespace Rx.Ssh;

/// <summary>
/// A running remote process (exec or shell) to interact with: stdin, stdout and stderr as
/// readers/writers, streams or observables; signals, break and terminal size; its exit as a
/// single-value observable. Made by <see cref="SshClientConnection.CreateProcessAsync"/>.
/// Disposing closes the channel (the server ends the process as it sees fit; send a signal
/// first to be explicit). <see cref="DisposeAsync"/> and the blocking <see cref="Dispose"/> do
/// the same work (the library's one rule, ARCHITECTURE.md "Disposal").
/// </summary>
public sealed partial class SshClientProcess : IAsyncDisposable, IDisposable
{
    private readonly SshChannel _channel;
    private readonly TaskCompletionSource<SshProcessExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pump;
    private readonly string? _disposeSignal;
    private readonly CancellationTokenSource _inputStop = new();
    private readonly CancellationTokenSource _pumpStop = new();
    private readonly Task _redirection;
    private readonly Task<SshProcessExit> _completion;
    private readonly Session.ByteReaderPart _stdout;
    private readonly Session.ByteReaderPart _stderr;
    private int _disposed;

    internal SshClientProcess(SshChannel channel, string? command, SshProcessOptions? options = null)
    {
        _channel = channel;
        _disposeSignal = options?.DisposeSignal;
        _expectOptions = options?.Expect ?? new SshExpectOptions();
        _hasTerminal = options?.Terminal is not null;
        _expectBuffer = new Client.Expect.ExpectBuffer(_expectOptions.MaxBufferChars);
        Command = command;
        Stdin = new SshProcessWriter(new Session.ChannelWriterPart(channel, channel.Connection.ChannelSettings.MaxQueuedOutputBytes));
        SshProcessOptions limits = options ?? new SshProcessOptions();
        _stdout = new Session.ByteReaderPart(channel, SshStandardStream.Stdout, limits.MaxLineLength, limits.MaxUnreadOutputBytes);
        _stderr = new Session.ByteReaderPart(channel, SshStandardStream.Stderr, limits.MaxLineLength, limits.MaxUnreadOutputBytes);
        Stdout = new SshProcessReader(_stdout);
        Stderr = new SshProcessReader(_stderr);
        _pump = Task.Run(PumpAsync);
        _redirection = options is null ? Task.CompletedTask : StartRedirection(options);
        _completion = CompleteAsync();
    }

    /// <summary>The command run, or null for a shell.</summary>
    public string? Command { get; }

    /// <summary>Standard input.</summary>
    public SshProcessWriter Stdin { get; }

    /// <summary>Standard output.</summary>
    public SshProcessReader Stdout { get; }

    /// <summary>Standard error.</summary>
    public SshProcessReader Stderr { get; }

    /// <summary>
    /// Emits how the process ended once the channel has closed, then completes (replayed to late
    /// subscribers). Fails with <see cref="SshConnectionException"/> when the connection is lost first.
    /// With redirections from <see cref="SshProcessOptions"/> (<c>Stdin</c>, <c>Stdout</c>,
    /// <c>Stderr</c>), it also waits for them to finish (the output file complete, say) and fails
    /// with <see cref="SshRedirectException"/> when one failed.
    /// </summary>
    public IObservable<SshProcessExit> Exit => _completion.ToObservable();

    /// <summary>
    /// Waits for the process to end, and for the redirections of its options; see <see cref="Exit"/>.
    /// Its output need not be read for this: a stream nobody reads is held up to a bound and then
    /// discarded, so it cannot stall the channel (see <see cref="SshProcessReader"/>); a stream being
    /// read paces the process.
    /// </summary>
    public Task<SshProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default) => _completion.WaitAsync(cancellationToken);

    /// <summary>
    /// Redirects this process's streams: <paramref name="stdin"/> feeds its input (EOF at the
    /// source's end), <paramref name="stdout"/> and <paramref name="stderr"/> take its output until
    /// EOF. Each stream is copied with one buffer, every write awaited before the next read, so
    /// the slower side sets the pace and memory stays bounded. Completes when every redirection
    /// given has finished; fails with <see cref="SshRedirectException"/> (the stream, the failing
    /// side and the cause) as soon as one fails; the others carry on, and an output whose
    /// destination failed is read and dropped from then on so the other output and the exit are
    /// not held up. A stream given here must not be read or written elsewhere meanwhile.
    /// </summary>
    public Task RedirectAsync(SshSource? stdin = null, SshSink? stdout = null, SshSink? stderr = null, CancellationToken cancellationToken = default) =>
        RedirectPump.WhenAll(StartPumps(stdin, stdout, stderr, cancellationToken), failFast: true);

    /// <summary>Sends a signal (name without <c>SIG</c>, e.g. <c>INT</c>); servers may ignore it (OpenSSH honours it since 7.9).</summary>
    public Task SendSignalAsync(string signal, CancellationToken cancellationToken = default) => Session.SessionSignals.SendAsync(_channel, signal, cancellationToken);

    /// <summary>
    /// Sends a channel request (RFC 4254 section 5.4) named <paramref name="name"/> with
    /// <paramref name="data"/> (the request-specific fields in wire format) on this process's
    /// session, e.g. <c>auth-agent-req@openssh.com</c>; with <paramref name="wantReply"/>, waits
    /// for the server's answer and returns it (false when it refused, or the channel closed first).
    /// Without want-reply returns true once sent. Requests go out in call order.
    /// </summary>
    /// <param name="name">The request name.</param>
    /// <param name="data">The request-specific data after the want-reply flag, in wire format.</param>
    /// <param name="wantReply">Whether the server should answer.</param>
    /// <param name="cancellationToken">Stops waiting (a request already sent stays sent).</param>
    /// <returns>The server's answer.</returns>
    /// <exception cref="SshChannelException">The channel is closed.</exception>
    public Task<bool> SendRequestAsync(string name, ReadOnlyMemory<byte> data, bool wantReply = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _channel.SendRequestAsync(name, wantReply, data.IsEmpty ? null : w => w.WriteRaw(data.Span), cancellationToken);
    }

    /// <summary>Sends <c>TERM</c>.</summary>
    public Task TerminateAsync(CancellationToken cancellationToken = default) => SendSignalAsync("TERM", cancellationToken);

    /// <summary>Sends <c>KILL</c>.</summary>
    public Task KillAsync(CancellationToken cancellationToken = default) => SendSignalAsync("KILL", cancellationToken);

    /// <summary>Sends a break (RFC 4335); returns whether the server honoured it.</summary>
    public Task<bool> SendBreakAsync(int milliseconds = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        return _channel.SendRequestAsync(SessionRequestMessages.Break, true, w => SessionRequestMessages.WriteBreak(w, milliseconds), cancellationToken);
    }

    /// <summary>Tells the server the terminal's new size (window-change).</summary>
    public Task ChangeTerminalSizeAsync(int columns, int rows, int pixelWidth = 0, int pixelHeight = 0, CancellationToken cancellationToken = default)
    {
        return _channel.SendRequestAsync(SessionRequestMessages.WindowChange, false, w => SessionRequestMessages.WriteWindowChange(w, columns, rows, pixelWidth, pixelHeight), cancellationToken);
    }

    /// <summary>
    /// stdout and stderr merged, as text chunks tagged with their stream, in the order they are
    /// read; completes when both have ended. Cold: subscribing reads both readers (so no one else
    /// may read them meanwhile); window goes back after each <c>OnNext</c>.
    /// </summary>
    public IObservable<SshOutputText> Output => Observable.Merge(
        Stdout.Text.Select(text => new SshOutputText(text, SshStandardStream.Stdout)),
        Stderr.Text.Select(text => new SshOutputText(text, SshStandardStream.Stderr)));

    /// <summary>
    /// Closes the channel and releases buffered output. When the process is still running and
    /// <see cref="SshProcessOptions.DisposeSignal"/> was set, that signal is sent first.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_disposeSignal is not null && !_exit.Task.IsCompleted)
        {
            await Session.SessionSignals.TrySendAsync(_channel, _disposeSignal).ConfigureAwait(false);
        }

        await _channel.CloseAsync().ConfigureAwait(false);
        try
        {
            await _channel.Closed.WaitAsync(_channel.Connection.ChannelSettings.CloseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer never sent CLOSE: stop reading the channel; the connection keeps its number until CLOSE or the end.
            await _pumpStop.CancelAsync().ConfigureAwait(false);
        }

        await _pump.ConfigureAwait(false);
        await _inputStop.CancelAsync().ConfigureAwait(false);
        _stdout.ReleaseUnread();
        _stderr.ReleaseUnread();
        _exit.TrySetException(new SshChannelException("The process was disposed before it ended."));
        _ = _exit.Task.Exception;
        IO.TaskFaults.Observe(_completion);
    }

    /// <summary>
    /// The same work as <see cref="DisposeAsync"/>, blocking until the channel has closed both ways;
    /// on a connection's dispatch loop it starts the work and returns without waiting (it would
    /// deadlock there). Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (SshConnection.OnDispatchLoop)
        {
            IO.TaskFaults.Observe(DisposeAsync().AsTask());
            return;
        }

        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Starts the redirections the options ask for (their outcome joins <see cref="Exit"/>).</summary>
    private Task StartRedirection(SshProcessOptions options)
    {
        var pumps = new List<Task>(3);
        if (options.Stdin is { } stdin)
        {
            pumps.Add(FeedInputAsync(stdin));
        }

        pumps.AddRange(StartPumps(null, options.Stdout, options.Stderr, CancellationToken.None));

        // Every pump ends by the time the process has (outputs at EOF, stdin stopped), so wait for all of them.
        return RedirectPump.WhenAll(pumps, failFast: false);
    }

    private List<Task> StartPumps(SshSource? stdin, SshSink? stdout, SshSink? stderr, CancellationToken cancellationToken)
    {
        var pumps = new List<Task>(3);
        if (stdin is not null)
        {
            pumps.Add(RedirectPump.RunAsync(stdin, SshSink.ToRemote(this), SshStandardStream.Stdin, cancellationToken));
        }

        if (stdout is not null)
        {
            Stdout.MarkRead();
            pumps.Add(RedirectPump.RunAsync(SshSource.FromRemote(this), stdout, SshStandardStream.Stdout, cancellationToken, () => Stdout.DiscardAsync()));
        }

        if (stderr is not null)
        {
            Stderr.MarkRead();
            pumps.Add(RedirectPump.RunAsync(SshSource.FromRemote(this, stderr: true), stderr, SshStandardStream.Stderr, cancellationToken, () => Stderr.DiscardAsync()));
        }

        return pumps;
    }

    /// <summary>Feeds stdin from the options' source; input not yet produced when the process ends is not an error.</summary>
    private async Task FeedInputAsync(SshSource source)
    {
        try
        {
            await RedirectPump.RunAsync(source, SshSink.ToRemote(this), SshStandardStream.Stdin, _inputStop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_inputStop.IsCancellationRequested)
        {
            // The process ended while its source had nothing more to give.
        }
    }

    private async Task<SshProcessExit> CompleteAsync()
    {
        SshProcessExit exit;
        try
        {
            exit = await _exit.Task.ConfigureAwait(false);
        }
        catch
        {
            IO.TaskFaults.Observe(_redirection); // the lost connection is the error to report
            throw;
        }
        finally
        {
            await _inputStop.CancelAsync().ConfigureAwait(false);
        }

        await _redirection.ConfigureAwait(false);
        return exit;
    }

    private async Task PumpAsync()
    {
        var sink = new ProcessSink(this);
        try
        {
            await Session.SessionChannelPump.RunAsync(_channel, sink, _pumpStop.Token).ConfigureAwait(false);
            _stdout.Complete();
            _stderr.Complete();
            _exit.TrySetResult(new SshProcessExit(sink.Status, sink.Signal?.Signal, sink.Signal?.CoreDumped ?? false, sink.Signal?.Message ?? string.Empty));
        }
        catch (Exception ex)
        {
            _stdout.Complete(ex);
            _stderr.Complete(ex);
            _exit.TrySetException(ex);
        }
    }

    /// <summary>Splits the channel's events into the two readers and records how the process ended.</summary>
    private sealed class ProcessSink(SshClientProcess process) : Session.SessionEventSink
    {
        public int? Status { get; private set; }

        public ExitSignalData? Signal { get; private set; }

        public override bool OnData(in ChannelEvent e)
        {
            process._stdout.Enqueue(e);
            return true;
        }

        public override bool OnStderr(in ChannelEvent e)
        {
            process._stderr.Enqueue(e);
            return true;
        }

        public override void OnEof()
        {
            process._stdout.Complete();
            process._stderr.Complete();
        }

        public override bool? OnRequest(string type, byte[] data, bool wantReply)
        {
            switch (type)
            {
                case SessionRequestMessages.ExitStatus:
                    Status = SessionRequestMessages.ReadExitStatus(data) ?? Status;
                    return Status is not null;
                case SessionRequestMessages.ExitSignal:
                    Signal = SessionRequestMessages.ReadExitSignal(data) ?? Signal;
                    return Signal is not null;
                default:
                    return null;
            }
        }
    }
}
