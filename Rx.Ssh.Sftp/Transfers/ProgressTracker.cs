using System.Diagnostics;

namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// The running totals of one transfer and the sink its progress goes to. Used from the transfer's
/// one logical flow (never concurrently), so reports reach the observer in order.
/// </summary>
internal sealed class ProgressTracker(Action<SftpProgress>? sink, long totalBytes, int totalFiles)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public long TotalBytes { get; set; } = totalBytes;

    public int TotalFiles { get; set; } = totalFiles;

    public long BytesDone { get; private set; }

    public long ResumedBytes { get; private set; }

    public int FilesDone { get; private set; }

    public string CurrentFile { get; set; } = string.Empty;

    /// <summary>Counts bytes skipped by a resume (done, without a report).</summary>
    public void Resumed(long bytes)
    {
        BytesDone += bytes;
        ResumedBytes += bytes;
    }

    /// <summary>Counts bytes moved and reports.</summary>
    public void Add(long bytes)
    {
        BytesDone += bytes;
        Report();
    }

    /// <summary>Counts a finished file and reports.</summary>
    public void FileDone()
    {
        FilesDone++;
        Report();
    }

    /// <summary>The current state.</summary>
    public SftpProgress Snapshot() => new(CurrentFile, BytesDone, Math.Max(TotalBytes, BytesDone), FilesDone, TotalFiles, _clock.Elapsed, ResumedBytes);

    /// <summary>Sends the current state to the sink.</summary>
    public void Report() => sink?.Invoke(Snapshot());
}
