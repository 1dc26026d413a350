using Rx.Ssh.Sftp;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>An <see cref="IProgress{T}"/> that calls back synchronously (<see cref="Progress{T}"/> posts to the thread pool), so a test can cancel at an exact point.</summary>
internal sealed class SyncProgress(Action<SftpProgress> report) : IProgress<SftpProgress>
{
    public void Report(SftpProgress value) => report(value);
}
