using System.Diagnostics;
using System.Text;
using Rx.Ssh.Redirection;

namespace Rx.Ssh;

/// <summary>
/// Where a redirected stream's bytes come from: text or bytes, a file, any <see cref="Stream"/>,
/// a local OS process's output, a remote process's output, or an observable. Hand one to
/// <see cref="SshProcessOptions.Stdin"/>, <see cref="SshClientProcess.RedirectAsync"/> (stdin) or
/// <see cref="SshServerProcess.RedirectAsync(SshSink?, SshSource?, SshSource?, CancellationToken)"/>
/// (stdout, stderr). The source is opened when the redirection starts and read with one reused
/// buffer, each read waiting for the previous chunk to be written: a slow destination slows the
/// source (flow control end to end). A source is meant for one redirection.
/// </summary>
public abstract class SshSource
{
    private protected SshSource()
    {
    }

    /// <summary>The bytes of <paramref name="text"/> in <paramref name="encoding"/> (UTF-8 when null).</summary>
    public static SshSource FromString(string text, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FromBytes((encoding ?? new UTF8Encoding(false)).GetBytes(text));
    }

    /// <summary><paramref name="data"/> (not copied: keep it unchanged until the redirection ends).</summary>
    public static SshSource FromBytes(ReadOnlyMemory<byte> data) => new Opener(() => new MemorySourceReader(data));

    /// <summary>The contents of the file at <paramref name="path"/>, opened when the redirection starts (a missing file fails it).</summary>
    public static SshSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new Opener(() => new StreamSourceReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true), dispose: true));
    }

    /// <summary><paramref name="stream"/> read to its end; disposed afterwards unless <paramref name="leaveOpen"/>.</summary>
    public static SshSource FromStream(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Opener(() => new StreamSourceReader(stream, dispose: !leaveOpen));
    }

    /// <summary>
    /// The standard output (or error, with <paramref name="stderr"/>) of a local process already
    /// started with that stream redirected, read to its end. The process is not waited for or disposed.
    /// </summary>
    public static SshSource FromProcess(Process process, bool stderr = false)
    {
        ArgumentNullException.ThrowIfNull(process);
        return new Opener(() => new StreamSourceReader((stderr ? process.StandardError : process.StandardOutput).BaseStream, dispose: false));
    }

    /// <summary>
    /// Starts a local process from <paramref name="startInfo"/> when the redirection starts (its
    /// standard output is redirected for you) and reads its output to the end, then waits for it to
    /// exit. A process that cannot start fails the redirection with the cause; one whose output is
    /// no longer wanted (the destination failed) is killed.
    /// </summary>
    public static SshSource FromProcess(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        return new Opener(() => LocalProcessSourceReader.Start(startInfo));
    }

    /// <summary>A source over a reader made when the redirection starts (the remote processes' overloads in Client/ and Server/ use it).</summary>
    internal static SshSource FromReader(Func<SourceReader> open) => new Opener(open);

    /// <summary>
    /// The chunks <paramref name="source"/> emits, until it completes (its error fails the
    /// redirection). Subscribed when the redirection starts, on a pool thread. An observable has no
    /// back-pressure but one: <c>OnNext</c> does not return until the chunk is taken, so at most
    /// one chunk waits and the emitter is slowed to the destination's pace. Chunks need not be copied
    /// by the emitter: each is taken before its <c>OnNext</c> returns.
    /// </summary>
    public static SshSource FromObservable(IObservable<ReadOnlyMemory<byte>> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Opener(() => new ObservableSourceReader(source));
    }

    /// <summary>Each string <paramref name="source"/> emits, as UTF-8; see the byte overload.</summary>
    public static SshSource FromObservable(IObservable<string> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return FromObservable(System.Reactive.Linq.Observable.Select(source, s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s)));
    }

    internal abstract SourceReader Open();

    private sealed class Opener(Func<SourceReader> open) : SshSource
    {
        internal override SourceReader Open() => open();
    }
}
