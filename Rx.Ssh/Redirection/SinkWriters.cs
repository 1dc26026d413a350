using System.Diagnostics;

namespace Rx.Ssh.Redirection;

/// <summary>One opened destination.</summary>
internal abstract class SinkWriter
{
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>The data ended normally: close the destination (EOF), reporting failures.</summary>
    public virtual ValueTask CompleteAsync(CancellationToken cancellationToken) => default;

    /// <summary>The redirection stopped early: close the destination as well as possible (so nothing waits on it), never throwing.</summary>
    public virtual ValueTask AbortAsync() => default;
}

internal sealed class DiscardSinkWriter : SinkWriter
{
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => default;
}

internal sealed class StreamSinkWriter(Stream stream, bool dispose, bool flushEachWrite) : SinkWriter
{
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        if (flushEachWrite)
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (dispose)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override async ValueTask AbortAsync()
    {
        if (!dispose)
        {
            return;
        }

        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or NotSupportedException)
        {
            // The destination is already broken; the redirection's error says why.
        }
    }
}

internal sealed class DelegateSinkWriter(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, Func<CancellationToken, ValueTask>? end) : SinkWriter
{
    private bool _ended;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => write(data, cancellationToken);

    public override ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _ended = true;
        return end?.Invoke(cancellationToken) ?? default;
    }

    public override async ValueTask AbortAsync()
    {
        if (_ended || end is null)
        {
            return;
        }

        _ended = true;
        try
        {
            // EOF even though the data stopped early, so the remote process does not wait forever.
            await end(CancellationToken.None).ConfigureAwait(false);
        }
        catch (SshException)
        {
            // The channel is gone; nothing waits on it.
        }
    }
}

/// <summary>A local process we started for its input: stdin closed at the end, then waited for.</summary>
internal sealed class LocalProcessSinkWriter : SinkWriter
{
    private readonly Process _process;
    private readonly StreamSinkWriter _input;

    private LocalProcessSinkWriter(Process process)
    {
        _process = process;
        _input = new StreamSinkWriter(process.StandardInput.BaseStream, dispose: true, flushEachWrite: true);
    }

    public static LocalProcessSinkWriter Start(ProcessStartInfo startInfo)
    {
        startInfo.RedirectStandardInput = true;
        startInfo.UseShellExecute = false;
        return new LocalProcessSinkWriter(Process.Start(startInfo) ?? throw new InvalidOperationException($"'{startInfo.FileName}' did not start."));
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => _input.WriteAsync(data, cancellationToken);

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await _input.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        _process.Dispose();
    }

    public override async ValueTask AbortAsync()
    {
        await _input.AbortAsync().ConfigureAwait(false);
        LocalProcesses.Kill(_process);
        _process.Dispose();
    }
}
