namespace Rx.Ssh.IO;

/// <summary>A forward-only read stream over an async read function (the library's readers as <see cref="Stream"/>s).</summary>
internal sealed class ReadOnlyStreamAdapter(Func<Memory<byte>, CancellationToken, ValueTask<int>> read) : ForwardStream
{
    public override bool CanRead => true;

    public override bool CanWrite => false;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read(buffer, cancellationToken);
}

/// <summary>A forward-only write stream over an async write function; <c>onDispose</c> runs once when it is disposed.</summary>
internal sealed class WriteOnlyStreamAdapter(Func<ReadOnlyMemory<byte>, CancellationToken, Task> write, Action? onDispose = null) : ForwardStream
{
    public override bool CanRead => false;

    public override bool CanWrite => true;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => new(write(buffer, cancellationToken));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            onDispose?.Invoke();
            onDispose = null;
        }

        base.Dispose(disposing);
    }
}
