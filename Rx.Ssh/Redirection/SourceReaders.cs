using System.Diagnostics;

namespace Rx.Ssh.Redirection;

/// <summary>One opened source: reads into the pump's buffer; 0 at the end.</summary>
internal abstract class SourceReader : IAsyncDisposable
{
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Releases the source; <paramref name="completed"/> says whether it was read to its end.</summary>
    public virtual ValueTask CloseAsync(bool completed) => default;

    public ValueTask DisposeAsync() => CloseAsync(false);
}

internal sealed class MemorySourceReader(ReadOnlyMemory<byte> data) : SourceReader
{
    private ReadOnlyMemory<byte> _rest = data;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int n = Math.Min(buffer.Length, _rest.Length);
        _rest[..n].CopyTo(buffer);
        _rest = _rest[n..];
        return ValueTask.FromResult(n);
    }
}

internal sealed class DelegateSourceReader(Func<Memory<byte>, CancellationToken, ValueTask<int>> read) : SourceReader
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => read(buffer, cancellationToken);
}

internal sealed class StreamSourceReader(Stream stream, bool dispose) : SourceReader
{
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => stream.ReadAsync(buffer, cancellationToken);

    public override async ValueTask CloseAsync(bool completed)
    {
        if (dispose)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A local process we started for its output: killed if its output is abandoned, waited for otherwise.</summary>
internal sealed class LocalProcessSourceReader : SourceReader
{
    private readonly Process _process;
    private readonly Stream _output;

    private LocalProcessSourceReader(Process process)
    {
        _process = process;
        _output = process.StandardOutput.BaseStream;
    }

    public static LocalProcessSourceReader Start(ProcessStartInfo startInfo)
    {
        startInfo.RedirectStandardOutput = true;
        startInfo.UseShellExecute = false;
        return new LocalProcessSourceReader(Process.Start(startInfo) ?? throw new InvalidOperationException($"'{startInfo.FileName}' did not start."));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => _output.ReadAsync(buffer, cancellationToken);

    public override async ValueTask CloseAsync(bool completed)
    {
        if (!completed)
        {
            LocalProcesses.Kill(_process);
        }

        await _output.DisposeAsync().ConfigureAwait(false);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}

/// <summary>
/// An observable read through the pump's buffer: <c>OnNext</c> hands its chunk over and blocks
/// until the reader has copied all of it, so at most one chunk waits (Rx's only back-pressure).
/// </summary>
internal sealed class ObservableSourceReader(IObservable<ReadOnlyMemory<byte>> source) : SourceReader, IObserver<ReadOnlyMemory<byte>>
{
    private readonly SemaphoreSlim _available = new(0);
    private readonly SemaphoreSlim _taken = new(0);
    private readonly System.Reactive.Disposables.SingleAssignmentDisposable _subscription = new();
    private ReadOnlyMemory<byte> _handed;
    private bool _hasChunk;
    private Exception? _error;
    private ReadOnlyMemory<byte> _current;
    private bool _started;
    private bool _ended;
    private volatile bool _closed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;

            // On a thread of its own: a source that emits while subscribing blocks in OnNext, which
            // must hold up neither us nor the thread pool.
            _ = Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        _subscription.Disposable = source.Subscribe(this);
                    }
                    catch (Exception ex)
                    {
                        OnError(ex);
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        if (_current.IsEmpty)
        {
            if (_ended)
            {
                return 0;
            }

            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!_hasChunk)
            {
                _ended = true;
                if (_error is { } error)
                {
                    throw new InvalidOperationException("The source observable failed: " + error.Message, error);
                }

                return 0;
            }

            _current = _handed;
            _hasChunk = false;
        }

        int n = Math.Min(buffer.Length, _current.Length);
        _current[..n].CopyTo(buffer);
        _current = _current[n..];
        if (_current.IsEmpty)
        {
            _taken.Release();
        }

        return n;
    }

    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (_closed || value.IsEmpty)
        {
            return;
        }

        _handed = value;
        _hasChunk = true;
        _available.Release();
        _taken.Wait();
    }

    public void OnError(Exception error)
    {
        _error = error;
        _available.Release();
    }

    public void OnCompleted() => _available.Release();

    public override ValueTask CloseAsync(bool completed)
    {
        _closed = true;
        _subscription.Dispose();
        _taken.Release(); // an emitter blocked in OnNext goes free
        return default;
    }
}

internal static class LocalProcesses
{
    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Could not be killed (already exiting).
        }
    }
}
