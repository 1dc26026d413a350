using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Sftp.Scp.Client;
using Rx.Ssh.Sftp.Transfers;

namespace Rx.Ssh.Sftp;

/// <summary>
/// SCP copies with the classic rcp protocol (<c>scp -f</c> runs on a remote source, <c>scp -t</c>
/// on a remote destination): download, upload, and remote to remote (two connections, the data
/// streamed through this process, never staged on disk), recursive and preserving, several
/// sources at once, wildcards in remote sources resolved by the remote side.
/// <code>
/// await ScpClient.Copy("server.example:example.txt", ".", new ScpCopyOptions { ClientOptions = options });
/// await ScpClient.Copy([(conn, "logs/*.log")], "/tmp/logs", new ScpCopyOptions { Preserve = true });
/// </code>
/// A copy is a cold <see cref="IObservable{T}"/> of <see cref="SftpProgress"/> as SFTP transfers
/// are: subscribing runs it (each source in turn), disposing the subscription cancels it (the remote
/// processes are closed), <c>await</c> gives the last progress. Totals grow as the source announces
/// files (SCP does not list them first). Errors: <see cref="ScpException"/> at the end with every
/// file's error (the remote's text), after every other file has been copied; names a remote source
/// sends are checked (a <c>/</c> or <c>..</c> stops the copy: nothing is written outside the
/// target), and a file shorter or longer than announced is an error and is not left in place.
/// </summary>
public static class ScpClient
{
    /// <summary>Copies one source to <paramref name="destination"/> (see the class summary).</summary>
    /// <param name="source">What to copy.</param>
    /// <param name="destination">Where to: a directory, or a file name for one file.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>The cold progress sequence.</returns>
    public static IObservable<SftpProgress> Copy(ScpPath source, ScpPath destination, ScpCopyOptions? options = null) =>
        Copy([source], destination, options);

    /// <summary>Copies several sources to <paramref name="destination"/>, which must then be a directory (see the class summary).</summary>
    /// <param name="sources">What to copy, in order.</param>
    /// <param name="destination">Where to.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <returns>The cold progress sequence.</returns>
    /// <exception cref="ArgumentException">No source.</exception>
    public static IObservable<SftpProgress> Copy(IEnumerable<ScpPath> sources, ScpPath destination, ScpCopyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(destination);
        List<ScpPath> list = [.. sources];
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one source is needed.", nameof(sources));
        }

        options ??= new ScpCopyOptions();
        return Observable.Create<SftpProgress>(async (observer, cancellationToken) =>
        {
            var tracker = new ProgressTracker(observer.OnNext, 0, list.Count);
            var errors = new List<string>();
            bool fatal = false;
            await using var connections = new ConnectionCache(options);
            foreach (ScpPath source in list)
            {
                (IReadOnlyList<string> failed, bool stopped) = await CopyOneAsync(source, destination, list.Count > 1, options, connections, tracker, cancellationToken).ConfigureAwait(false);
                errors.AddRange(failed);
                fatal |= stopped;
            }

            if (errors.Count > 0)
            {
                throw new ScpException(errors, fatal);
            }

            observer.OnNext(tracker.Snapshot());
            observer.OnCompleted();
        });
    }

    /// <summary>The <see cref="Task"/> form of <see cref="Copy(IEnumerable{ScpPath}, ScpPath, ScpCopyOptions?)"/>.</summary>
    /// <param name="sources">What to copy.</param>
    /// <param name="destination">Where to.</param>
    /// <param name="options">Options.</param>
    /// <param name="progress">Receives progress.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The last progress.</returns>
    public static async Task<SftpProgress> CopyAsync(IEnumerable<ScpPath> sources, ScpPath destination, ScpCopyOptions? options = null, IProgress<SftpProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        IObservable<SftpProgress> copy = Copy(sources, destination, options);
        if (progress is not null)
        {
            copy = copy.Do(progress.Report);
        }

        return await copy.LastAsync().ToTask(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(IReadOnlyList<string> Errors, bool Fatal)> CopyOneAsync(
        ScpPath source, ScpPath destination, bool many, ScpCopyOptions options, ConnectionCache connections, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        string flags = (options.Recursive ? " -r" : string.Empty) + (options.Preserve ? " -p" : string.Empty);
        string sourcePath = source.Path.Length == 0 ? "." : source.Path;
        string targetPath = destination.Path.Length == 0 ? "." : destination.Path;
        string sourceCommand = $"scp{flags} -f -- " + (source.IsRemote ? QuoteKeepingWildcards(sourcePath) : Quote(sourcePath));
        string sinkCommand = $"scp{flags}{(many ? " -d" : string.Empty)} -t -- " + Quote(targetPath);

        ScpPeer? from = null;
        ScpPeer? to = null;
        try
        {
            from = source.IsRemote
                ? await ScpPeer.StartRemoteAsync(await connections.GetAsync(source, cancellationToken).ConfigureAwait(false), sourceCommand, cancellationToken).ConfigureAwait(false)
                : ScpPeer.StartLocal(sourceCommand, cancellationToken);
            to = destination.IsRemote
                ? await ScpPeer.StartRemoteAsync(await connections.GetAsync(destination, cancellationToken).ConfigureAwait(false), sinkCommand, cancellationToken).ConfigureAwait(false)
                : ScpPeer.StartLocal(sinkCommand, cancellationToken);

            var relay = new ScpRelay(from, to, tracker);
            await relay.RunAsync(cancellationToken).ConfigureAwait(false);
            await from.CloseInputAsync().ConfigureAwait(false);
            await to.CloseInputAsync().ConfigureAwait(false);
            int sourceStatus = await from.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            int sinkStatus = await to.Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
            var errors = new List<string>(relay.Errors);
            if (errors.Count == 0 && (sourceStatus != 0 || sinkStatus != 0))
            {
                // Nothing said on the protocol (the remote has no scp, say): its stderr or its status.
                ScpPeer failed = sourceStatus != 0 ? from : to;
                string stderr = await failed.StderrAsync().ConfigureAwait(false);
                errors.Add(stderr.Length > 0 ? stderr : $"remote scp exited with status {(sourceStatus != 0 ? sourceStatus : sinkStatus)}");
            }

            return (errors, relay.Fatal);
        }
        catch (SshException ex) when (ex is not ScpException)
        {
            // The connection or the process failed for this source; the others still run.
            return ([ex.Message], true);
        }
        finally
        {
            if (to is not null)
            {
                await to.DisposeAsync().ConfigureAwait(false);
            }

            if (from is not null)
            {
                await from.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // A POSIX shell word: single quotes, embedded ones closed, escaped and reopened.
    internal static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    // Backslash-escapes everything a shell treats specially except the wildcard characters.
    internal static string QuoteKeepingWildcards(string path)
    {
        var quoted = new StringBuilder(path.Length + 8);
        foreach (char c in path)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '*' or '?' or '[' or ']' or ',' or '+' or '=' or ':' or '@' or '%'))
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.ToString();
    }

    // Connections opened for host:path forms, one per user and host, closed after the copy.
    private sealed class ConnectionCache(ScpCopyOptions options) : IAsyncDisposable
    {
        private readonly Dictionary<(string?, string), SshClientConnection> _open = [];

        public async Task<SshClientConnection> GetAsync(ScpPath path, CancellationToken cancellationToken)
        {
            if (path.Connection is { } given)
            {
                return given;
            }

            var key = (path.UserName, path.Host!);
            if (!_open.TryGetValue(key, out SshClientConnection? connection))
            {
                SshClientOptions clientOptions = options.ClientOptions ?? new SshClientOptions();
                if (path.UserName is { } user)
                {
                    clientOptions = clientOptions with { UserName = user };
                }

                connection = await SshClient.ConnectAsync(path.Host!, options.Port, clientOptions, cancellationToken).ConfigureAwait(false);
                _open[key] = connection;
            }

            return connection;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (SshClientConnection connection in _open.Values)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
