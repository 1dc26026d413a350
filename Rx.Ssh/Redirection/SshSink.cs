using System.Diagnostics;
using Rx.Ssh.Redirection;

namespace Rx.Ssh;

/// <summary>
/// Where a redirected stream's bytes go: a file, any <see cref="Stream"/>, a local OS process's
/// stdin, a remote process's input, or nowhere. Hand one to <see cref="SshProcessOptions.Stdout"/>
/// and <see cref="SshProcessOptions.Stderr"/>, <see cref="SshClientProcess.RedirectAsync"/> (stdout,
/// stderr) or <see cref="SshServerProcess.RedirectAsync(SshSink?, SshSource?, SshSource?, CancellationToken)"/>
/// (stdin). Each write is awaited before more is read from the source, so a slow destination
/// slows the source. At the end of the data the destination is closed (file closed, EOF sent,
/// the local process's stdin closed) unless said otherwise. A sink is meant for one redirection.
/// </summary>
public abstract class SshSink
{
    private protected SshSink()
    {
    }

    /// <summary>Drops everything (still reading it, so the source's flow control keeps moving).</summary>
    public static SshSink Discard { get; } = new Opener(() => new DiscardSinkWriter());

    /// <summary>The file at <paramref name="path"/>, created (or truncated, or appended to) when the redirection starts.</summary>
    public static SshSink ToFile(string path, bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new Opener(() => new StreamSinkWriter(new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024, useAsync: true), dispose: true, flushEachWrite: false));
    }

    /// <summary><paramref name="stream"/>; disposed at the end unless <paramref name="leaveOpen"/> (flushed either way).</summary>
    public static SshSink ToStream(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Opener(() => new StreamSinkWriter(stream, dispose: !leaveOpen, flushEachWrite: false));
    }

    /// <summary>
    /// The standard input of a local process already started with it redirected; closed at the end
    /// so the process sees EOF. The process is not waited for or disposed.
    /// </summary>
    public static SshSink ToProcess(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return new Opener(() => new StreamSinkWriter(process.StandardInput.BaseStream, dispose: true, flushEachWrite: true));
    }

    /// <summary>
    /// Starts a local process from <paramref name="startInfo"/> when the redirection starts (its
    /// standard input is redirected for you), writes into its stdin, closes it at the end and waits
    /// for the process to exit. A process that cannot start fails the redirection with the cause.
    /// </summary>
    public static SshSink ToProcess(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        return new Opener(() => LocalProcessSinkWriter.Start(startInfo));
    }

    /// <summary>A sink over a writer made when the redirection starts; <paramref name="abandon"/> ends the destination if the source never opens.</summary>
    internal static SshSink FromWriter(Func<SinkWriter> open, Func<CancellationToken, ValueTask>? abandon) => new Opener(open, abandon);

    /// <summary>A raw session channel's data (for <c>Exec</c>, which has no process object).</summary>
    internal static SshSink ToChannel(Connection.SshChannel channel)
    {
        Func<CancellationToken, ValueTask> eof = ct => channel.SendEofAsync(ct);
        return new Opener(() => new DelegateSinkWriter((data, ct) => channel.WriteAsync(data, null, ct), eof), eof);
    }

    internal abstract SinkWriter Open();

    /// <summary>The source never opened: end a remote destination (EOF) so nothing waits on it; leave local ones untouched.</summary>
    internal abstract ValueTask AbandonAsync();

    private sealed class Opener(Func<SinkWriter> open, Func<CancellationToken, ValueTask>? abandon = null) : SshSink
    {
        internal override SinkWriter Open() => open();

        internal override ValueTask AbandonAsync() => abandon?.Invoke(CancellationToken.None) ?? default;
    }
}
