using System.Diagnostics;

namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// The running totals of one transfer and the sink its progress goes to. Files of a multi-file
/// transfer report from several flows at once: updates and reports are serialized under one lock,
/// so the observer's <c>OnNext</c> is never called concurrently and sees bytes done only grow.
/// </summary>
internal sealed class ProgressTracker(Action<SftpProgress>? sink, long totalBytes, int totalFiles)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _totalBytes = totalBytes;
    private long _bytesDone;
    private long _resumedBytes;
    private int _filesDone;
    private string _currentFile = string.Empty;

    /// <summary>Changes the expected total (a file's size differing from what was planned).</summary>
    public void AddTotal(long delta)
    {
        lock (_gate)
        {
            _totalBytes += delta;
        }
    }

    /// <summary>Names the file being worked on (reported with the next event).</summary>
    public void Starting(string file)
    {
        lock (_gate)
        {
            _currentFile = file;
        }
    }

    /// <summary>Counts bytes skipped by a resume (done, without a report).</summary>
    public void Resumed(long bytes)
    {
        lock (_gate)
        {
            _bytesDone += bytes;
            _resumedBytes += bytes;
        }
    }

    /// <summary>Counts bytes moved for <paramref name="file"/> and reports.</summary>
    public void Add(long bytes, string file)
    {
        lock (_gate)
        {
            _bytesDone += bytes;
            _currentFile = file;
            sink?.Invoke(SnapshotLocked());
        }
    }

    /// <summary>Counts a finished file and reports.</summary>
    public void FileDone(string file)
    {
        lock (_gate)
        {
            _filesDone++;
            _currentFile = file;
            sink?.Invoke(SnapshotLocked());
        }
    }

    /// <summary>The current state.</summary>
    public SftpProgress Snapshot()
    {
        lock (_gate)
        {
            return SnapshotLocked();
        }
    }

    /// <summary>Sends the current state to the sink.</summary>
    public void Report()
    {
        lock (_gate)
        {
            sink?.Invoke(SnapshotLocked());
        }
    }

    private SftpProgress SnapshotLocked() =>
        new(_currentFile, _bytesDone, Math.Max(_totalBytes, _bytesDone), _filesDone, totalFiles, _clock.Elapsed, _resumedBytes);
}
