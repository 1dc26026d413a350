using System.Buffers.Binary;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Connection;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

/// <summary>
/// A running remote process (exec or shell) to interact with: stdin, stdout and stderr as
/// readers/writers, streams or observables; signals, break and terminal size; its exit as a
/// single-value observable. Made by <see cref="SshClientConnection.CreateProcessAsync"/>.
/// Disposing closes the channel (the server ends the process as it sees fit; send a signal
/// first to be explicit).
/// </summary>
public sealed class SshClientProcess : IAsyncDisposable
{
    private readonly SshChannel _channel;
    private readonly TaskCompletionSource<SshProcessExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pump;
    private readonly string? _disposeSignal;
    private int _disposed;

    internal SshClientProcess(SshChannel channel, string? command, string? disposeSignal = null)
    {
        _channel = channel;
        _disposeSignal = disposeSignal;
        Command = command;
        Stdin = new SshProcessWriter(channel);
        Stdout = new SshProcessReader(channel);
        Stderr = new SshProcessReader(channel);
        _pump = Task.Run(PumpAsync);
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
    /// </summary>
    public IObservable<SshProcessExit> Exit => _exit.Task.ToObservable();

    /// <summary>Waits for the process to end (its output need not be read for this, but see <see cref="SshProcessReader"/> on flow control).</summary>
    public Task<SshProcessExit> WaitForExitAsync(CancellationToken cancellationToken = default) => _exit.Task.WaitAsync(cancellationToken);

    /// <summary>Sends a signal (name without <c>SIG</c>, e.g. <c>INT</c>); servers may ignore it (OpenSSH honours it since 7.9).</summary>
    public Task SendSignalAsync(string signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        // string signal name (without the "SIG" prefix)
        return _channel.SendRequestAsync("signal", false, w => w.WriteString(signal), cancellationToken);
    }

    /// <summary>Sends <c>TERM</c>.</summary>
    public Task TerminateAsync(CancellationToken cancellationToken = default) => SendSignalAsync("TERM", cancellationToken);

    /// <summary>Sends <c>KILL</c>.</summary>
    public Task KillAsync(CancellationToken cancellationToken = default) => SendSignalAsync("KILL", cancellationToken);

    /// <summary>Sends a break (RFC 4335); returns whether the server honoured it.</summary>
    public Task<bool> SendBreakAsync(int milliseconds = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds);
        // uint32 break length in milliseconds
        return _channel.SendRequestAsync("break", true, w => w.WriteUInt32((uint)milliseconds), cancellationToken);
    }

    /// <summary>Tells the server the terminal's new size (window-change).</summary>
    public Task ChangeTerminalSizeAsync(int columns, int rows, int pixelWidth = 0, int pixelHeight = 0, CancellationToken cancellationToken = default)
    {
        // uint32 terminal width (columns), uint32 height (rows), uint32 width (pixels), uint32 height (pixels)
        return _channel.SendRequestAsync("window-change", false, w =>
        {
            w.WriteUInt32((uint)columns);
            w.WriteUInt32((uint)rows);
            w.WriteUInt32((uint)pixelWidth);
            w.WriteUInt32((uint)pixelHeight);
        }, cancellationToken);
    }

    /// <summary>
    /// stdout and stderr merged, as text chunks tagged with their stream, in the order they are
    /// read; completes when both have ended. Cold: subscribing reads both readers (so no one else
    /// may read them meanwhile); window goes back after each <c>OnNext</c>.
    /// </summary>
    public IObservable<SshOutputText> Output => Observable.Merge(
        Stdout.Text.Select(text => new SshOutputText(text, SshDataStream.Stdout)),
        Stderr.Text.Select(text => new SshOutputText(text, SshDataStream.Stderr)));

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
            await SessionRequests.TrySignalAsync(_channel, _disposeSignal).ConfigureAwait(false);
        }

        await _channel.CloseAsync().ConfigureAwait(false);
        await _channel.Closed.ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        Stdout.ReleaseUnread();
        Stderr.ReleaseUnread();
        _exit.TrySetException(new SshChannelException("The process was disposed before it ended."));
        _ = _exit.Task.Exception;
    }

    private async Task PumpAsync()
    {
        int? status = null;
        (string Name, bool Core, string Message)? signal = null;
        try
        {
            while (await _channel.Events.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_channel.Events.TryRead(out ChannelEvent e))
                {
                    switch (e.Kind)
                    {
                        case ChannelEventKind.Data:
                            Stdout.Enqueue(e);
                            break;
                        case ChannelEventKind.ExtendedData when e.DataType == 1:
                            Stderr.Enqueue(e);
                            break;
                        case ChannelEventKind.ExtendedData:
                            _channel.Consumed(e);
                            break;
                        case ChannelEventKind.Eof:
                            Stdout.Complete();
                            Stderr.Complete();
                            break;
                        case ChannelEventKind.Request when e.RequestType == "exit-status" && e.RequestData is { Length: >= 4 } d:
                            status = (int)BinaryPrimitives.ReadUInt32BigEndian(d);
                            break;
                        case ChannelEventKind.Request when e.RequestType == "exit-signal":
                            signal = ReadSignal(e.RequestData ?? []);
                            break;
                        case ChannelEventKind.Request:
                            if (e.WantReply)
                            {
                                _channel.Reply(false);
                            }

                            break;
                    }
                }
            }

            Stdout.Complete();
            Stderr.Complete();
            _exit.TrySetResult(new SshProcessExit(status, signal?.Name, signal?.Core ?? false, signal?.Message ?? string.Empty));
        }
        catch (Exception ex)
        {
            Stdout.Complete(ex);
            Stderr.Complete(ex);
            _exit.TrySetException(ex);
        }
    }

    private static (string, bool, string) ReadSignal(byte[] data)
    {
        // string signal name (without "SIG"), boolean core dumped, string error message, string language tag
        var r = new SshReader(data);
        string name = r.ReadAsciiString();
        bool core = r.ReadBoolean();
        string message = r.Remaining > 0 ? r.ReadUtf8String() : string.Empty;
        return (name, core, message);
    }
}
