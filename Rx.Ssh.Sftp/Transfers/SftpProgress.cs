namespace Rx.Ssh.Sftp;

/// <summary>
/// A transfer's progress, emitted by <see cref="SftpClient.Get(string, string, SftpTransferOptions?)"/> and <see cref="SftpClient.Put(string, string, SftpTransferOptions?)"/>
/// as blocks complete; the last one (the observable's result when awaited) has
/// <see cref="BytesDone"/> equal to <see cref="TotalBytes"/>. Byte counts cover the whole transfer
/// (every file of a multi-file one), resumed bytes included.
/// </summary>
/// <param name="CurrentFile">The remote path of the file being transferred.</param>
/// <param name="BytesDone">Bytes transferred and confirmed so far (a download's in order on disk; an upload's acknowledged).</param>
/// <param name="TotalBytes">Bytes to transfer in all, as far as known.</param>
/// <param name="FilesDone">Files finished.</param>
/// <param name="TotalFiles">Files in the transfer.</param>
/// <param name="Elapsed">Time since the transfer started.</param>
/// <param name="ResumedBytes">Bytes found already transferred and skipped by a resumed transfer.</param>
public sealed record SftpProgress(string CurrentFile, long BytesDone, long TotalBytes, int FilesDone, int TotalFiles, TimeSpan Elapsed, long ResumedBytes = 0)
{
    /// <summary>The rate of this run: bytes moved (resumed bytes excluded) per second of <see cref="Elapsed"/>.</summary>
    public double BytesPerSecond => Elapsed > TimeSpan.Zero ? (BytesDone - ResumedBytes) / Elapsed.TotalSeconds : 0;

    /// <summary>The fraction done, from 0 to 1 (1 for an empty transfer).</summary>
    public double Fraction => TotalBytes > 0 ? (double)BytesDone / TotalBytes : 1;
}
