using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Session;

namespace Rx.Ssh;

/// <summary>
/// One incoming stream of a process's session: a client process's <see cref="SshClientProcess.Stdout"/>
/// or <see cref="SshClientProcess.Stderr"/> (what the remote process writes), or a server process's
/// <see cref="SshServerProcess.Stdin"/> (what the client sends). Read it as bytes, text, lines,
/// observables or a <see cref="Stream"/>; every member works in both roles.
/// </summary>
/// <remarks>
/// <para>One reader at a time: a read, a copy, or a subscription to <see cref="Data"/>,
/// <see cref="Text"/> or <see cref="Lines"/> while another is in progress fails
/// with <see cref="InvalidOperationException"/>. The observables are cold: subscribing starts
/// reading, disposing the subscription stops it (what is not read yet stays for the next reader),
/// and each completes at the end of the stream.</para>
/// <para>Flow control: data stays in the channel's buffers until read here, and the peer gets
/// window back only then, so a reader that stops stops the peer (the remote process, or the client).</para>
/// <para>A client process's output nobody reads: stdout and stderr share the channel's window, so
/// a stream that is never read must not hold it. A stream no one has started reading (no read,
/// subscription, copy, <see cref="DiscardAsync"/> or redirection yet) holds at most a quarter of the
/// window (512 KiB by default); what it receives beyond that has its window given back at once and
/// is kept in memory for a reader that comes late, up to <see cref="SshProcessOptions.MaxUnreadOutputBytes"/>
/// (16 MiB by default). Past that the stream is discarded from then on and a later read fails with
/// <see cref="SshOutputLimitException"/>. So a process whose stderr nobody reads still runs to its
/// exit, and <see cref="SshClientProcess.WaitForExitAsync"/> returns, whatever it writes. A stream
/// once read keeps exact back-pressure until its end. A server process's stdin keeps exact
/// back-pressure from the start (it is the channel's only incoming stream).</para>
/// <para>Text is UTF-8 (a character split across packets is kept whole). On a server process with
/// the line editor (a pty was requested), stdin is edited text: whole lines in line mode, single
/// keys in character mode, ctrl-D on an empty line is end of input and ctrl-C a signal <c>INT</c>.</para>
/// <para>Lines are capped (<see cref="SshProcessOptions.MaxLineLength"/> bytes on a client,
/// <see cref="SshServerOptions.MaxLineLength"/> characters on a server, 1 MiB by default): a longer
/// line fails with <see cref="SshLineTooLongException"/> once that much is read, so a peer cannot
/// grow one line without bound.</para>
/// <para>There is nothing to dispose: the stream ends with the process (disposing the process
/// returns what nobody read).</para>
/// </remarks>
public sealed class SshProcessReader
{
    internal SshProcessReader(ProcessReaderPart part)
    {
        Part = part;
    }

    /// <summary>True once the end of the stream was read and nothing is left.</summary>
    public bool AtEnd => Part.AtEnd;

    /// <summary>
    /// The data as it arrives, each chunk copied into its own array (safe to keep). Cold: subscribing
    /// starts reading (one subscriber at a time); window goes back after each <c>OnNext</c>.
    /// </summary>
    public IObservable<ReadOnlyMemory<byte>> Data => Observable.Create<ReadOnlyMemory<byte>>(async (observer, ct) =>
    {
        using ChannelInput.Lease lease = Part.Enter();
        ReadOnlyMemory<byte> chunk;
        while (!(chunk = await Part.ReadChunkCoreAsync(ct).ConfigureAwait(false)).IsEmpty)
        {
            observer.OnNext(chunk);
        }

        observer.OnCompleted();
    });

    /// <summary>
    /// The stream as text chunks as they arrive (with the line editor, whole edited lines or single
    /// keys), until the end. Cold, like <see cref="Data"/>; the peer gets window back after each <c>OnNext</c> returns.
    /// </summary>
    public IObservable<string> Text => Observable.Create<string>(async (observer, ct) =>
    {
        using ChannelInput.Lease lease = Part.Enter();
        string chunk;
        while ((chunk = await Part.ReadTextCoreAsync(int.MaxValue, ct).ConfigureAwait(false)).Length > 0)
        {
            observer.OnNext(chunk);
        }

        observer.OnCompleted();
    });

    /// <summary>
    /// Lines of text without their line endings, until the end (see <see cref="ReadLineAsync"/> for the
    /// line cap). Cold, like <see cref="Data"/>. On a server, compose with <c>TakeUntil(process.Breaks)</c> to stop at a break.
    /// </summary>
    public IObservable<string> Lines => Observable.Create<string>(async (observer, ct) =>
    {
        using ChannelInput.Lease lease = Part.Enter();
        while (await Part.ReadLineCoreAsync(ct).ConfigureAwait(false) is { } line)
        {
            observer.OnNext(line);
        }

        observer.OnCompleted();
    });

    /// <summary>
    /// Reads bytes into <paramref name="destination"/> (as many as are there, at least one); 0 at the
    /// end. On a server process's stdin, text already buffered by a text read comes first (as UTF-8),
    /// and a buffer smaller than a buffered character gets its first bytes (the rest comes next).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        using ChannelInput.Lease lease = Part.Enter();
        return await Part.ReadBytesCoreAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads up to <paramref name="maxChars"/> characters as soon as any are there; empty at the end.
    /// A client process's output keeps a surrogate pair whole (a limit of one may return both halves).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxChars"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async ValueTask<string> ReadAsync(int maxChars = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        using ChannelInput.Lease lease = Part.Enter();
        return await Part.ReadTextCoreAsync(maxChars, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads what is there (waiting for at least one character) as text; empty at the end. The same as <see cref="ReadAsync(int, CancellationToken)"/> without a limit.</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public ValueTask<string> ReadTextAsync(CancellationToken cancellationToken = default) => ReadAsync(int.MaxValue, cancellationToken);

    /// <summary>
    /// Reads one line (without <c>\n</c> or <c>\r\n</c>); null at the end. A last line without
    /// newline is returned. A line longer than the cap (see the remarks) fails with
    /// <see cref="SshLineTooLongException"/> once that much is read (that part is dropped; the next
    /// read goes on from there), so memory stays bounded.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        using ChannelInput.Lease lease = Part.Enter();
        return await Part.ReadLineCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads everything up to the end as text.</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async Task<string> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        using ChannelInput.Lease lease = Part.Enter();
        var all = new StringBuilder();
        string chunk;
        while ((chunk = await Part.ReadTextCoreAsync(int.MaxValue, cancellationToken).ConfigureAwait(false)).Length > 0)
        {
            all.Append(chunk);
        }

        return all.ToString();
    }

    /// <summary>Copies everything up to the end into <paramref name="destination"/>, following flow control.</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using ChannelInput.Lease lease = Part.Enter();
        await Part.CopyToCoreAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads and drops everything up to the end (on a client process, so the other output keeps
    /// flowing; a stream already discarded as unread ends this without error).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async Task DiscardAsync(CancellationToken cancellationToken = default)
    {
        using ChannelInput.Lease lease = Part.Enter();
        await Part.DiscardCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stream as a read-only <see cref="Stream"/> (each read is a <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>); disposing it does nothing to the channel.</summary>
    public Stream AsStream() => new IO.ReadOnlyStreamAdapter(ReadAsync);

    /// <summary>The role's half that does the reading.</summary>
    internal ProcessReaderPart Part { get; }

    /// <summary>A redirection or capture will read this stream: keep exact back-pressure from now on.</summary>
    internal void MarkRead() => Part.MarkRead();
}
