using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Redirection;
using Rx.Ssh.Server;

namespace Rx.Ssh;

/// <summary>
/// One session as a process (AsyncSSH's <c>SSHServerProcess</c>), handed to
/// <see cref="SshServerOptions.ProcessHandler"/>: what the client asked for, stdin, stdout and
/// stderr, terminal size changes, breaks and signals, and exit. When the handler returns, the
/// process exits with <see cref="ExitStatus"/> unless it already exited. Disposing it (the
/// library's one rule, ARCHITECTURE.md "Disposal") ends it the same way at once.
/// </summary>
public sealed class SshServerProcess : IAsyncDisposable, IDisposable
{
    /// <summary>The process whose client-request observers this thread is calling now, if any.</summary>
    [ThreadStatic]
    private static SshServerProcess? delivering;

    private readonly QueuedUntilSubscribed<SshTerminal> _terminalChanges;
    private readonly QueuedUntilSubscribed<int> _breaks;
    private readonly QueuedUntilSubscribed<string> _signals;
    private readonly CancellationTokenSource _closed = new();

    internal SshServerProcess(SshServerChannel channel)
    {
        Channel = channel;
        _terminalChanges = new(() => Dropped("window change"));
        _breaks = new(() => Dropped("break"));
        _signals = new(() => Dropped("signal"));
        StdinPart = new StdinReaderPart(channel, () => _signals.OnNext("INT"));
        Stdin = new SshProcessReader(StdinPart);
        Stdout = new SshProcessWriter(new ServerOutputPart(channel, null));
        Stderr = new SshProcessWriter(new ServerOutputPart(channel, 1));
    }

    /// <summary>The underlying session channel (line-editor switches, raw writes).</summary>
    public SshServerChannel Channel { get; }

    /// <summary>The connection this process runs on.</summary>
    public SshServerConnection Connection => Channel.Connection;

    /// <summary>The authenticated user.</summary>
    public string UserName => Channel.UserName;

    /// <summary><c>shell</c>, <c>exec</c> or <c>subsystem</c>.</summary>
    public string RequestType => Channel.RequestType ?? "shell";

    /// <summary>The command of an exec request, else null.</summary>
    public string? Command => Channel.Command;

    /// <summary>The subsystem of a subsystem request, else null.</summary>
    public string? Subsystem => Channel.Subsystem;

    /// <summary>Environment variables the client sent.</summary>
    public IReadOnlyDictionary<string, string> Environment => Channel.Environment;

    /// <summary>The pseudo-terminal (type, current size, modes), when the client asked for one.</summary>
    public SshTerminal? Terminal => Channel.Terminal;

    /// <summary>Standard input: what the client sends (edited by the line editor when it is on).</summary>
    public SshProcessReader Stdin { get; }

    /// <summary>Standard output.</summary>
    public SshProcessWriter Stdout { get; }

    /// <summary>Standard error (extended data type 1).</summary>
    public SshProcessWriter Stderr { get; }

    /// <summary>
    /// Hot: each window-change from the client (the new terminal). Completes when the channel
    /// closes. What arrives before the first subscription (up to 64 changes) is kept and replayed
    /// to the first subscriber, so a change the client sends right after the request is not lost;
    /// later subscribers see only later changes.
    /// </summary>
    public IObservable<SshTerminal> TerminalSizeChanges => _terminalChanges;

    /// <summary>
    /// Hot: each break the client sends (its length in ms). Completes when the channel closes.
    /// Breaks sent before the first subscription (up to 64) are replayed to the first subscriber;
    /// later subscribers see only later breaks.
    /// </summary>
    public IObservable<int> Breaks => _breaks;

    /// <summary>
    /// Hot: each signal the client sends (e.g. <c>INT</c>; also ctrl-C in the line editor).
    /// Completes when the channel closes. Signals sent before the first subscription (up to 64)
    /// are replayed to the first subscriber; later subscribers see only later signals.
    /// </summary>
    public IObservable<string> Signals => _signals;

    /// <summary>Cancelled when the channel closes (the client left or the process exited).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>The status to exit with when the handler returns (default 0).</summary>
    public int ExitStatus { get; set; }

    /// <summary>Exits now with <paramref name="status"/> (queued output goes first).</summary>
    /// <param name="status">The exit status.</param>
    /// <param name="cancellationToken">Stops waiting; the exit, once asked for, still happens after the queued output.</param>
    public Task ExitAsync(int status, CancellationToken cancellationToken = default)
    {
        ExitStatus = status;
        return Channel.ExitAsync(status, cancellationToken);
    }

    /// <summary>Fire-and-forget form of <see cref="ExitAsync(int, CancellationToken)"/>.</summary>
    public void Exit(int status) => IO.TaskFaults.Observe(ExitAsync(status));

    /// <summary>
    /// Exits now the way <paramref name="exit"/> says, with the record the client reads back
    /// (<see cref="SshClientProcess.WaitForExitAsync"/>): as killed by its
    /// <see cref="SshProcessExit.ExitSignal"/> (with its core-dump flag and message) when it has
    /// one, otherwise with its <see cref="SshProcessExit.ExitStatus"/>. Queued output goes first.
    /// </summary>
    /// <param name="exit">How the process ended.</param>
    /// <param name="cancellationToken">Stops waiting; the exit, once asked for, still happens after the queued output.</param>
    /// <exception cref="ArgumentException"><paramref name="exit"/> has neither a status nor a signal.</exception>
    public Task ExitAsync(SshProcessExit exit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exit);
        if (exit.ExitSignal is { } signal)
        {
            return Channel.ExitWithSignalAsync(signal, exit.CoreDumped, exit.Message, cancellationToken);
        }

        return exit.ExitStatus is { } status
            ? ExitAsync(status, cancellationToken)
            : throw new ArgumentException("An exit needs an exit status or an exit signal.", nameof(exit));
    }

    /// <summary>
    /// Exits as killed by <paramref name="signal"/> (name without <c>SIG</c>); short for
    /// <see cref="ExitAsync(SshProcessExit, CancellationToken)"/> with <c>new SshProcessExit(null, signal, coreDumped, message)</c>.
    /// </summary>
    /// <param name="signal">The signal name without <c>SIG</c>.</param>
    /// <param name="coreDumped">Whether a core was dumped.</param>
    /// <param name="message">An error message for the client.</param>
    /// <param name="cancellationToken">Stops waiting; the exit, once asked for, still happens after the queued output.</param>
    public Task ExitWithSignalAsync(string signal, bool coreDumped = false, string message = "", CancellationToken cancellationToken = default) =>
        Channel.ExitWithSignalAsync(signal, coreDumped, message, cancellationToken);

    /// <summary>
    /// Redirects this session's streams: what the client sends (stdin) goes to
    /// <paramref name="stdin"/> (closed at EOF), and <paramref name="stdout"/> and
    /// <paramref name="stderr"/> are sent to the client until they end (raw bytes; no EOF is sent,
    /// exiting does that). Each stream is copied with one buffer, every write awaited before the
    /// next read: a slow client slows the sources, a slow destination slows the client. Completes
    /// when every redirection given has finished; fails with <see cref="SshRedirectException"/>
    /// (the stream, the failing side and the cause) as soon as one fails; the others carry on.
    /// </summary>
    public Task RedirectAsync(SshSink? stdin = null, SshSource? stdout = null, SshSource? stderr = null, CancellationToken cancellationToken = default)
    {
        var pumps = new List<Task>(3);
        if (stdin is not null)
        {
            pumps.Add(RedirectPump.RunAsync(SshSource.FromRemote(this), stdin, SshStandardStream.Stdin, cancellationToken));
        }

        if (stdout is not null)
        {
            pumps.Add(RedirectPump.RunAsync(stdout, SshSink.ToRemote(this), SshStandardStream.Stdout, cancellationToken));
        }

        if (stderr is not null)
        {
            pumps.Add(RedirectPump.RunAsync(stderr, SshSink.ToRemote(this, stderr: true), SshStandardStream.Stderr, cancellationToken));
        }

        return RedirectPump.WhenAll(pumps, failFast: true);
    }

    /// <summary>
    /// Connects a local OS process to this session: the session's stdin feeds the process's
    /// stdin (EOF closes it), the process's stdout and stderr go to the client, and the task ends
    /// with the process's exit code once it has exited and its output is sent. The process must
    /// be started with all three standard streams redirected. Closing the channel kills it.
    /// Input the process no longer takes (it closed its stdin or exited) is dropped.
    /// On a pty with the line editor the process's output is UTF-8 text like any other output
    /// (<c>\n</c> goes to the client as <c>\r\n</c>), as a terminal would show it; otherwise its bytes pass unchanged.
    /// </summary>
    public async Task<int> RedirectAsync(Process process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Closed);
        Task input = FeedProcessAsync(process, linked.Token);
        try
        {
            if (Channel.IsLineEditing)
            {
                await Task.WhenAll(
                    Stdout.CopyFromAsync(process.StandardOutput.BaseStream, asText: true, sendEof: false, linked.Token),
                    Stderr.CopyFromAsync(process.StandardError.BaseStream, asText: true, sendEof: false, linked.Token)).ConfigureAwait(false);
            }
            else
            {
                await RedirectAsync(null, SshSource.FromProcess(process), SshSource.FromProcess(process, stderr: true), linked.Token).ConfigureAwait(false);
            }

            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw;
        }
        catch (SshException)
        {
            Kill(process);
            throw;
        }
        finally
        {
            IO.TaskFaults.Observe(input);
        }

        return process.ExitCode;

        static void Kill(Process p) => LocalProcesses.Kill(p);
    }

    private async Task FeedProcessAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            await RedirectAsync(SshSink.ToProcess(process), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (SshRedirectException e) when (!e.SourceFailed && e.InnerException is IOException)
        {
            // The process closed its stdin (exited); the rest of the input has nowhere to go.
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Ends the process now, as the handler returning does: exits with <see cref="ExitStatus"/>
    /// unless it already exited (queued output first, then <c>exit-status</c>, EOF and CLOSE), and
    /// completes once they are sent (or the client is gone). Safe to call more than once.
    /// </summary>
    public async ValueTask DisposeAsync() => await Channel.ExitAsync(ExitStatus).ConfigureAwait(false);

    /// <summary>
    /// The same work as <see cref="DisposeAsync"/>, blocking until it is done. Where waiting would
    /// deadlock it starts the work and returns: on a connection's dispatch loop, and inside an
    /// observer of <see cref="Signals"/>, <see cref="Breaks"/> or <see cref="TerminalSizeChanges"/>
    /// called for a client request (the exit is queued behind that request's reply, which waits
    /// for the observer to return).
    /// </summary>
    public void Dispose()
    {
        if (SshConnection.OnDispatchLoop || delivering == this)
        {
            IO.TaskFaults.Observe(DisposeAsync().AsTask());
            return;
        }

        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    internal void OnTerminalChanged(SshTerminal terminal) => Deliver(_terminalChanges, terminal);

    internal void OnBreak(int milliseconds) => Deliver(_breaks, milliseconds);

    internal void OnSignal(string signal) => Deliver(_signals, signal);

    /// <summary>Passes a client request on from the session pump, marking the thread: the request's reply waits for the callback.</summary>
    private void Deliver<T>(QueuedUntilSubscribed<T> sequence, T value)
    {
        SshServerProcess? outer = delivering;
        delivering = this;
        try
        {
            sequence.OnNext(value);
        }
        finally
        {
            delivering = outer;
        }
    }

    /// <summary>The server's half of <see cref="Stdin"/>, fed by the session pump.</summary>
    internal StdinReaderPart StdinPart { get; }

    private void Dropped(string what) =>
        Connection.Loggers.Server.LogWarning(SshLogEvents.Server.QueuedRequestDropped, "Dropped a {What} from {User}: {Limit} are already waiting for the process handler to subscribe", what, UserName, QueuedUntilSubscribed<int>.Limit);

    internal void OnClosed()
    {
        _closed.Cancel();
        StdinPart.Complete();
        _terminalChanges.OnCompleted();
        _breaks.OnCompleted();
        _signals.OnCompleted();
    }
}
