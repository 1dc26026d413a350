using System.IO.Pipelines;
using System.Text;
using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Sftp.Scp.Client;

/// <summary>
/// One side of a copy speaking the rcp protocol: a remote <c>scp -t</c>/<c>-f</c> process, or the
/// local file system served in-process by the same code as <see cref="ScpServer"/> (so local
/// uploads and downloads get its strict checks, and a download's names are checked twice).
/// </summary>
internal sealed class ScpPeer : IAsyncDisposable
{
    private readonly Func<Memory<byte>, CancellationToken, ValueTask<int>> _read;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, Task> _write;
    private readonly Func<Task> _closeInput;
    private readonly Func<ValueTask> _dispose;
    private readonly Task<string> _stderr;

    private ScpPeer(Func<Memory<byte>, CancellationToken, ValueTask<int>> read, Func<ReadOnlyMemory<byte>, CancellationToken, Task> write, Func<Task> closeInput, Task<int> exited, Task<string> stderr, Func<ValueTask> dispose)
    {
        _read = read;
        _write = write;
        _closeInput = closeInput;
        Exited = exited;
        _stderr = stderr;
        _dispose = dispose;
    }

    /// <summary>The peer's exit status once it has ended.</summary>
    public Task<int> Exited { get; }

    /// <summary>Reads what the peer sends.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => _read(buffer, cancellationToken);

    /// <summary>Sends to the peer.</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => _write(data, cancellationToken);

    /// <summary>Sends a text (a control line or an acknowledgement).</summary>
    public Task WriteAsync(string text, CancellationToken cancellationToken) => _write(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Ends the peer's input.</summary>
    public Task CloseInputAsync() => _closeInput();

    /// <summary>What the peer wrote on stderr (remote peers), once it has ended.</summary>
    public async Task<string> StderrAsync()
    {
        try
        {
            return (await _stderr.ConfigureAwait(false)).Trim();
        }
        catch (Exception ex) when (ex is SshException or OperationCanceledException or InvalidOperationException)
        {
            return string.Empty;
        }
    }

    /// <summary>Starts <paramref name="command"/> on <paramref name="connection"/>.</summary>
    public static async Task<ScpPeer> StartRemoteAsync(SshClientConnection connection, string command, CancellationToken cancellationToken)
    {
        SshClientProcess process = await connection.CreateProcessAsync(command, null, cancellationToken).ConfigureAwait(false);
        Task<string> stderr = process.Stderr.ReadToEndAsync(CancellationToken.None);
        async Task<int> ExitAsync() => (await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false)).ExitStatus ?? -1;
        return new ScpPeer(
            (buffer, ct) => process.Stdout.ReadAsync(buffer, ct),
            (data, ct) => process.Stdin.WriteAsync(data, ct),
            () => process.Stdin.CloseAsync(CancellationToken.None),
            ExitAsync(),
            stderr,
            () => process.DisposeAsync());
    }

    /// <summary>Serves <paramref name="command"/> (an scp -t/-f command line) on the local file system, relative paths from the current directory.</summary>
    public static ScpPeer StartLocal(string command, CancellationToken cancellationToken)
    {
        var toPeer = new Pipe();
        var fromPeer = new Pipe();
        Stream input = toPeer.Reader.AsStream();
        Stream output = fromPeer.Writer.AsStream();
        var fileSystem = new LocalFileSystem("/", Environment.CurrentDirectory);
        Task<int> run = Task.Run(async () =>
        {
            try
            {
                return await ScpServer.RunAsync(command, fileSystem, (b, ct) => input.ReadAsync(b, ct), (d, ct) => output.WriteAsync(d, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await fileSystem.DisposeAsync().ConfigureAwait(false);
                await fromPeer.Writer.CompleteAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None);
        Stream reader = fromPeer.Reader.AsStream();
        Stream writer = toPeer.Writer.AsStream();
        return new ScpPeer(
            (buffer, ct) => reader.ReadAsync(buffer, ct),
            async (data, ct) =>
            {
                await writer.WriteAsync(data, ct).ConfigureAwait(false);
                await writer.FlushAsync(ct).ConfigureAwait(false);
            },
            async () => await toPeer.Writer.CompleteAsync().ConfigureAwait(false),
            run,
            Task.FromResult(string.Empty),
            async () =>
            {
                await toPeer.Writer.CompleteAsync().ConfigureAwait(false);
                await fromPeer.Reader.CompleteAsync().ConfigureAwait(false);
                try
                {
                    await run.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
                {
                    // Cancelled or cut off: the copy's own error is what counts.
                }
            });
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dispose();
}
