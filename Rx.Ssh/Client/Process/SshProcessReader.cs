using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Connection;

namespace Rx.Ssh;

/// <summary>
/// A remote process's stdout or stderr, read as bytes, text, lines, observables or a
/// <see cref="Stream"/>. One reader at a time: a read (or a subscription to <see cref="Data"/>,
/// <see cref="Text"/> or <see cref="Lines"/>) while another is in progress fails with
/// <see cref="InvalidOperationException"/>.
/// </summary>
/// <remarks>
/// <para>Flow control: data stays in the channel's buffers until read here, and the server gets
/// window back only then, so a reader that stops stops the remote process.</para>
/// <para>Output nobody reads: stdout and stderr share the channel's window, so a stream that is
/// never read must not hold it. A stream no one has started reading (no read, subscription,
/// copy, <see cref="DiscardAsync"/> or redirection yet) holds at most a quarter of the window
/// (512 KiB by default); what it receives beyond that has its window given back at once and is
/// kept in memory for a reader that comes late, up to <see cref="SshProcessOptions.MaxUnreadOutputBytes"/>
/// (16 MiB by default). Past that the stream is discarded from then on and a later read fails
/// with <see cref="SshOutputLimitException"/>. So a process whose stderr nobody reads still runs to
/// its exit, and <see cref="SshClientProcess.WaitForExitAsync"/> returns, whatever it writes. A
/// stream once read keeps exact back-pressure (the remote process waits for the reader) until its end.</para>
/// </remarks>
public sealed class SshProcessReader
{
    private readonly Session.ChannelInput _input;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly SshStandardStream _stream;
    private readonly int _maxLineLength;

    internal SshProcessReader(SshChannel channel, SshStandardStream stream = SshStandardStream.Stdout, int maxLineLength = int.MaxValue, long maxUnreadBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineLength);
        _stream = stream;
        _maxLineLength = maxLineLength;
        _input = new Session.ChannelInput(channel, channel.WindowSize / 4, maxUnreadBytes, () => new SshOutputLimitException(stream, maxUnreadBytes, "while nobody read it, so it was discarded (read or redirect it earlier)"));
    }

    private string Name => _stream == SshStandardStream.Stdout ? "stdout" : "stderr";

    /// <summary>
    /// The data as it arrives, each chunk copied into its own array (safe to keep). Cold: subscribing
    /// starts reading (one subscriber at a time); window goes back after each <c>OnNext</c>.
    /// </summary>
    public IObservable<ReadOnlyMemory<byte>> Data => Observable.Create<ReadOnlyMemory<byte>>(async (observer, ct) =>
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        while (await _input.FillAsync(ct).ConfigureAwait(false))
        {
            byte[] copy = _input.Current.ToArray();
            _input.Advance(copy.Length);
            observer.OnNext(copy);
        }

        observer.OnCompleted();
    });

    /// <summary>The data decoded as UTF-8 text chunks as it arrives (characters split across chunks are kept whole). Cold, like <see cref="Data"/>.</summary>
    public IObservable<string> Text => Observable.Create<string>(async (observer, ct) =>
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        string chunk;
        while ((chunk = await ReadTextCoreAsync(ct).ConfigureAwait(false)).Length > 0)
        {
            observer.OnNext(chunk);
        }

        observer.OnCompleted();
    });

    /// <summary>Lines of UTF-8 text without their line endings, until EOF (see <see cref="ReadLineAsync"/> for the line cap). Cold, like <see cref="Data"/>.</summary>
    public IObservable<string> Lines => Observable.Create<string>(async (observer, ct) =>
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        while (await ReadLineCoreAsync(ct).ConfigureAwait(false) is { } line)
        {
            observer.OnNext(line);
        }

        observer.OnCompleted();
    });

    /// <summary>Reads bytes into <paramref name="destination"/> (as many as are there, at least one); 0 at end of output.</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        if (destination.IsEmpty || !await _input.FillAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        int n = Math.Min(_input.Length, destination.Length);
        _input.Current[..n].CopyTo(destination.Span);
        _input.Advance(n);
        return n;
    }

    /// <summary>Reads what is there (waiting for at least one character) as UTF-8 text; empty at end of output.</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async ValueTask<string> ReadTextAsync(CancellationToken cancellationToken = default)
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        return await ReadTextCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one line of UTF-8 text (without <c>\n</c> or <c>\r\n</c>); null at end of output. A last
    /// line without newline is returned. A line longer than <see cref="SshProcessOptions.MaxLineLength"/>
    /// bytes fails with <see cref="SshLineTooLongException"/> once that much is read (those bytes are
    /// dropped; the next read goes on from there), so a server cannot grow one line without bound.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        return await ReadLineCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads everything up to end of output as UTF-8 text.</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async Task<string> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        var all = new StringBuilder();
        string chunk;
        while ((chunk = await ReadTextCoreAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
        {
            all.Append(chunk);
        }

        return all.ToString();
    }

    /// <summary>Copies everything up to end of output into <paramref name="destination"/>, following flow control.</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        while (await _input.FillAsync(cancellationToken).ConfigureAwait(false))
        {
            await destination.WriteAsync(_input.CurrentMemory, cancellationToken).ConfigureAwait(false);
            _input.Advance(_input.Length);
        }
    }

    /// <summary>Reads and drops everything up to end of output (so the other stream keeps flowing).</summary>
    /// <exception cref="InvalidOperationException">Another read is in progress.</exception>
    public async Task DiscardAsync(CancellationToken cancellationToken = default)
    {
        using Session.ChannelInput.Lease lease = _input.Enter(Name);
        while (await _input.FillAsync(cancellationToken, allowDiscarded: true).ConfigureAwait(false))
        {
            _input.Advance(_input.Length);
        }
    }

    /// <summary>The output as a read-only <see cref="Stream"/>.</summary>
    public Stream AsStream() => new IO.ReadOnlyStreamAdapter(ReadAsync);

    /// <summary>A redirection or capture will read this stream: keep exact back-pressure from now on.</summary>
    internal void MarkRead() => _input.MarkRead();

    internal void Enqueue(in ChannelEvent e) => _input.Enqueue(e);

    internal void Complete(Exception? error = null) => _input.Complete(error);

    /// <summary>Returns the buffers of data never read (the process was disposed).</summary>
    internal void ReleaseUnread() => _input.ReleaseUnread();

    private async ValueTask<string> ReadTextCoreAsync(CancellationToken cancellationToken)
    {
        while (await _input.FillAsync(cancellationToken).ConfigureAwait(false))
        {
            string text = Decode(_input.Current, flush: false);
            _input.Advance(_input.Length);
            if (text.Length > 0)
            {
                return text;
            }
        }

        return Decode([], flush: true);
    }

    private async ValueTask<string?> ReadLineCoreAsync(CancellationToken cancellationToken)
    {
        using var line = new MemoryStream();
        while (await _input.FillAsync(cancellationToken).ConfigureAwait(false))
        {
            ReadOnlySpan<byte> available = _input.Current;
            int newline = available.IndexOf((byte)'\n');
            int content = newline >= 0 ? newline : available.Length;
            bool endsWithCr = content > 0 ? available[content - 1] == '\r' : line.Length > 0 && line.GetBuffer()[line.Length - 1] == '\r';
            if (line.Length + content - (endsWithCr ? 1 : 0) > _maxLineLength)
            {
                _input.Advance(content);
                throw new SshLineTooLongException(_stream, _maxLineLength);
            }

            if (newline >= 0)
            {
                line.Write(available[..newline]);
                _input.Advance(newline + 1);
                return TrimCr(line);
            }

            line.Write(available);
            _input.Advance(available.Length);
        }

        return line.Length == 0 ? null : TrimCr(line);
    }

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        char[] chars = new char[_decoder.GetCharCount(bytes, flush)];
        int n = _decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, n);
    }

    private static string TrimCr(MemoryStream line)
    {
        ReadOnlySpan<byte> bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (bytes.Length > 0 && bytes[^1] == '\r')
        {
            bytes = bytes[..^1];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
