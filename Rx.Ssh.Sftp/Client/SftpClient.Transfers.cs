using System.Reactive.Linq;
using Rx.Ssh.Sftp.Transfers;

namespace Rx.Ssh.Sftp;

// Whole-file transfers as cold observables of progress, and their awaitable forms.
public sealed partial class SftpClient
{
    /// <summary>
    /// Downloads <paramref name="remotePath"/> to <paramref name="localPath"/>, pipelined (many
    /// READs in flight, written in order). A cold observable: each subscription runs the transfer,
    /// emitting <see cref="SftpProgress"/> as blocks land and once per finished file, then completes;
    /// <c>await</c> it for the last progress (bytes done equal to the total). Disposing the
    /// subscription cancels the transfer and closes both files (the local file keeps what was
    /// written, a prefix of the remote one, for <see cref="SftpTransferOptions.Resume"/>).
    /// Progress arrives on the session's threads: for a UI, <c>.Sample(TimeSpan)</c> then <c>.ObserveOn(context)</c>.
    /// </summary>
    /// <param name="remotePath">The remote file (or directory with <see cref="SftpTransferOptions.Recursive"/>).</param>
    /// <param name="localPath">The local destination.</param>
    /// <param name="options">How to transfer; <see cref="SftpTransferOptions.Default"/> when null.</param>
    /// <returns>The progress.</returns>
    public IObservable<SftpProgress> Get(string remotePath, string localPath, SftpTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(remotePath);
        ArgumentNullException.ThrowIfNull(localPath);
        return Transfer((report, ct) => GetCoreAsync(remotePath, localPath, options ?? SftpTransferOptions.Default, report, ct));
    }

    /// <summary>
    /// Uploads <paramref name="localPath"/> to <paramref name="remotePath"/>, pipelined (many WRITEs in
    /// flight, acknowledged in any order). Cold, like <see cref="Get(string, string, SftpTransferOptions?)"/>; disposing cancels, closes both
    /// files and truncates the remote file to what was acknowledged in order (a prefix, for resuming).
    /// </summary>
    /// <param name="localPath">The local file (or directory with <see cref="SftpTransferOptions.Recursive"/>).</param>
    /// <param name="remotePath">The remote destination.</param>
    /// <param name="options">How to transfer; <see cref="SftpTransferOptions.Default"/> when null.</param>
    /// <returns>The progress.</returns>
    public IObservable<SftpProgress> Put(string localPath, string remotePath, SftpTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(localPath);
        ArgumentNullException.ThrowIfNull(remotePath);
        return Transfer((report, ct) => PutCoreAsync(localPath, remotePath, options ?? SftpTransferOptions.Default, report, ct));
    }

    /// <summary>Runs <see cref="Get(string, string, SftpTransferOptions?)"/> to its end.</summary>
    /// <param name="remotePath">The remote file or directory.</param>
    /// <param name="localPath">The local destination.</param>
    /// <param name="options">How to transfer.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>The final progress.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task<SftpProgress> GetAsync(string remotePath, string localPath, SftpTransferOptions? options = null, IProgress<SftpProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remotePath);
        ArgumentNullException.ThrowIfNull(localPath);
        return GetCoreAsync(remotePath, localPath, options ?? SftpTransferOptions.Default, progress is null ? null : progress.Report, cancellationToken);
    }

    /// <summary>Runs <see cref="Put(string, string, SftpTransferOptions?)"/> to its end.</summary>
    /// <param name="localPath">The local file or directory.</param>
    /// <param name="remotePath">The remote destination.</param>
    /// <param name="options">How to transfer.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>The final progress.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task<SftpProgress> PutAsync(string localPath, string remotePath, SftpTransferOptions? options = null, IProgress<SftpProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localPath);
        ArgumentNullException.ThrowIfNull(remotePath);
        return PutCoreAsync(localPath, remotePath, options ?? SftpTransferOptions.Default, progress is null ? null : progress.Report, cancellationToken);
    }

    /// <summary>
    /// Copies the remote file <paramref name="sourcePath"/> to <paramref name="destinationPath"/> on
    /// <paramref name="destination"/> (this client when null). On the same client with the
    /// <c>copy-data</c> extension the server copies and no data crosses the network; otherwise the
    /// data is read ahead from the source and written behind to the destination. Cold, like <see cref="Get(string, string, SftpTransferOptions?)"/>.
    /// </summary>
    /// <param name="sourcePath">The remote source file.</param>
    /// <param name="destinationPath">The remote destination.</param>
    /// <param name="destination">The client of the destination server; this one when null.</param>
    /// <param name="options">How to transfer (<see cref="SftpTransferOptions.PreserveTimes"/>, <see cref="SftpTransferOptions.PreservePermissions"/>).</param>
    /// <returns>The progress.</returns>
    public IObservable<SftpProgress> Copy(string sourcePath, string destinationPath, SftpClient? destination = null, SftpTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(destinationPath);
        return Transfer((report, ct) => CopyAsync(sourcePath, destinationPath, destination, options, report is null ? null : new ActionProgress(report), ct));
    }

    /// <summary>Runs <see cref="Copy"/> to its end.</summary>
    /// <param name="sourcePath">The remote source file.</param>
    /// <param name="destinationPath">The remote destination.</param>
    /// <param name="destination">The client of the destination server; this one when null.</param>
    /// <param name="options">How to transfer.</param>
    /// <param name="progress">Receives progress, if given.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The final progress.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<SftpProgress> CopyAsync(string sourcePath, string destinationPath, SftpClient? destination = null, SftpTransferOptions? options = null, IProgress<SftpProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(destinationPath);
        destination ??= this;
        if (await destination.IsDirectoryAsync(destinationPath, cancellationToken).ConfigureAwait(false))
        {
            destinationPath = SftpPath.Combine(destinationPath, SftpPath.GetFileName(sourcePath));
        }

        if (ReferenceEquals(destination, this)
            && await RealPathAsync(SftpPath.GetDirectoryName(sourcePath), cancellationToken).ConfigureAwait(false) == await RealPathAsync(SftpPath.GetDirectoryName(destinationPath), cancellationToken).ConfigureAwait(false)
            && SftpPath.GetFileName(sourcePath) == SftpPath.GetFileName(destinationPath))
        {
            // Opening the destination would truncate the source.
            throw new SftpException(SftpStatusCode.Failure, $"{sourcePath} and {destinationPath} are the same file.");
        }

        var tracker = new ProgressTracker(progress is null ? null : progress.Report, 0, 1);
        await SftpRemoteCopy.RunAsync(this, sourcePath, destination, destinationPath, options ?? SftpTransferOptions.Default, tracker, cancellationToken).ConfigureAwait(false);
        return tracker.Snapshot();
    }

    private sealed class ActionProgress(Action<SftpProgress> report) : IProgress<SftpProgress>
    {
        public void Report(SftpProgress value) => report(value);
    }

    /// <summary>
    /// Downloads several remote paths into <paramref name="localDirectory"/> as one transfer (one
    /// progress, every file counted): each path may be a glob pattern (see <see cref="GlobAsync"/>);
    /// directories need <see cref="SftpTransferOptions.Recursive"/>. Cold, like <see cref="Get(string, string, SftpTransferOptions?)"/>.
    /// </summary>
    /// <param name="remotePaths">Remote files, directories or patterns.</param>
    /// <param name="localDirectory">An existing local directory.</param>
    /// <param name="options">How to transfer.</param>
    /// <returns>The progress.</returns>
    public IObservable<SftpProgress> Get(IEnumerable<string> remotePaths, string localDirectory, SftpTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(remotePaths);
        ArgumentNullException.ThrowIfNull(localDirectory);
        return Transfer(async (report, ct) =>
        {
            SftpTransferOptions o = options ?? SftpTransferOptions.Default;
            var roots = new List<(string, string, SftpAttributes)>();
            foreach (string pattern in remotePaths)
            {
                IAsyncEnumerable<string> matches = Paths.SftpGlob.HasWildcard(pattern) ? GlobAsync(pattern, ct) : One(pattern);
                await foreach (string remote in matches.ConfigureAwait(false))
                {
                    SftpAttributes attributes = await StatAsync(remote, ct).ConfigureAwait(false);
                    if (attributes.IsDirectory && !o.Recursive)
                    {
                        throw new SftpException(SftpStatusCode.Failure, $"{remote} is a directory; set Recursive to download it.");
                    }

                    roots.Add((remote, Path.Combine(localDirectory, SftpPath.GetFileName(remote)), attributes));
                }
            }

            return await SftpTree.GetAsync(this, roots, o, report, ct).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Uploads several local files or directories into <paramref name="remoteDirectory"/> as one
    /// transfer; directories need <see cref="SftpTransferOptions.Recursive"/>. Cold, like <see cref="Put(string, string, SftpTransferOptions?)"/>.
    /// </summary>
    /// <param name="localPaths">Local files or directories.</param>
    /// <param name="remoteDirectory">An existing remote directory.</param>
    /// <param name="options">How to transfer.</param>
    /// <returns>The progress.</returns>
    public IObservable<SftpProgress> Put(IEnumerable<string> localPaths, string remoteDirectory, SftpTransferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(localPaths);
        ArgumentNullException.ThrowIfNull(remoteDirectory);
        return Transfer((report, ct) =>
        {
            SftpTransferOptions o = options ?? SftpTransferOptions.Default;
            var roots = new List<(string, string)>();
            foreach (string local in localPaths)
            {
                if (Directory.Exists(local) && !o.Recursive)
                {
                    throw new SftpException(SftpStatusCode.Failure, $"{local} is a directory; set Recursive to upload it.");
                }

                roots.Add((local, SftpPath.Combine(remoteDirectory, Path.GetFileName(Path.TrimEndingDirectorySeparator(local)))));
            }

            return SftpTree.PutAsync(this, roots, o, report, ct);
        });
    }

#pragma warning disable CS1998 // an async iterator of one value
    private static async IAsyncEnumerable<string> One(string value)
#pragma warning restore CS1998
    {
        yield return value;
    }

    private static IObservable<SftpProgress> Transfer(Func<Action<SftpProgress>, CancellationToken, Task<SftpProgress>> run) =>
        Observable.Create<SftpProgress>(async (observer, cancellationToken) =>
        {
            await run(observer.OnNext, cancellationToken).ConfigureAwait(false);
            observer.OnCompleted();
        });

    private async Task<SftpProgress> GetCoreAsync(string remotePath, string localPath, SftpTransferOptions options, Action<SftpProgress>? report, CancellationToken cancellationToken)
    {
        SftpAttributes attributes = await StatAsync(remotePath, cancellationToken).ConfigureAwait(false);
        if (attributes.IsDirectory && options.Recursive)
        {
            return await SftpTree.GetAsync(this, [(remotePath, localPath, attributes)], options, report, cancellationToken).ConfigureAwait(false);
        }

        if (attributes.IsDirectory)
        {
            throw new SftpException(SftpStatusCode.Failure, $"{remotePath} is a directory; set Recursive to download it.");
        }

        if (Directory.Exists(localPath))
        {
            localPath = Path.Combine(localPath, SftpPath.GetFileName(remotePath));
        }

        var progress = new ProgressTracker(report, 0, 1);
        await SftpDownload.RunAsync(this, remotePath, localPath, options, progress, cancellationToken).ConfigureAwait(false);
        return progress.Snapshot();
    }

    private async Task<SftpProgress> PutCoreAsync(string localPath, string remotePath, SftpTransferOptions options, Action<SftpProgress>? report, CancellationToken cancellationToken)
    {
        if (Directory.Exists(localPath))
        {
            if (!options.Recursive)
            {
                throw new SftpException(SftpStatusCode.Failure, $"{localPath} is a directory; set Recursive to upload it.");
            }

            return await SftpTree.PutAsync(this, [(localPath, remotePath)], options, report, cancellationToken).ConfigureAwait(false);
        }

        if (await IsDirectoryAsync(remotePath, cancellationToken).ConfigureAwait(false))
        {
            remotePath = SftpPath.Combine(remotePath, Path.GetFileName(localPath));
        }

        var progress = new ProgressTracker(report, 0, 1);
        await SftpUpload.RunAsync(this, localPath, remotePath, options, progress, cancellationToken).ConfigureAwait(false);
        return progress.Snapshot();
    }
}
