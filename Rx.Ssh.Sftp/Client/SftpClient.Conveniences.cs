using System.Reactive.Linq;
using System.Runtime.CompilerServices;
using Rx.Ssh.Sftp.Paths;

namespace Rx.Ssh.Sftp;

// The conveniences on top of the operations: existence tests, makedirs, rmtree, glob.
public sealed partial class SftpClient
{
    /// <summary>Whether <paramref name="path"/> exists (following symlinks: a dangling link does not).</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Whether STAT succeeded.</returns>
    /// <exception cref="SftpException">A failure other than <see cref="SftpStatusCode.NoSuchFile"/>.</exception>
    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default) =>
        await TryStatAsync(path, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Whether <paramref name="path"/> is a directory (following symlinks).</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>False when it does not exist.</returns>
    /// <exception cref="SftpException">A failure other than <see cref="SftpStatusCode.NoSuchFile"/>.</exception>
    public async Task<bool> IsDirectoryAsync(string path, CancellationToken cancellationToken = default) =>
        (await TryStatAsync(path, cancellationToken).ConfigureAwait(false))?.IsDirectory == true;

    /// <summary>Whether <paramref name="path"/> is a regular file (following symlinks).</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>False when it does not exist.</returns>
    /// <exception cref="SftpException">A failure other than <see cref="SftpStatusCode.NoSuchFile"/>.</exception>
    public async Task<bool> IsFileAsync(string path, CancellationToken cancellationToken = default) =>
        (await TryStatAsync(path, cancellationToken).ConfigureAwait(false))?.IsRegularFile == true;

    /// <summary>STAT that answers null for a path that does not exist.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The attributes, or null.</returns>
    /// <exception cref="SftpException">A failure other than <see cref="SftpStatusCode.NoSuchFile"/>.</exception>
    public async Task<SftpAttributes?> TryStatAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await StatAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpException e) when (e.Code == SftpStatusCode.NoSuchFile)
        {
            return null;
        }
    }

    /// <summary>Creates <paramref name="path"/> and every missing parent (<c>mkdir -p</c>).</summary>
    /// <param name="path">The remote directory.</param>
    /// <param name="attributes">Attributes of the directories created.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when it exists.</returns>
    /// <exception cref="SftpException">A component exists and is not a directory, or the server's failure.</exception>
    public async Task MakeDirectoriesAsync(string path, SftpAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        SftpAttributes? existing = await TryStatAsync(path, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!existing.IsDirectory)
            {
                throw new SftpException(SftpStatusCode.Failure, $"{path} exists and is not a directory.");
            }

            return;
        }

        string parent = SftpPath.GetDirectoryName(path);
        if (parent != path && parent is not ("/" or "."))
        {
            await MakeDirectoriesAsync(parent, attributes, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await MkdirAsync(path, attributes, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpException)
        {
            // Created meanwhile by someone else is fine; anything else is the error.
            if (!await IsDirectoryAsync(path, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    /// <summary>
    /// Removes <paramref name="path"/> and everything under it (<c>rm -r</c>). Symlinks are removed,
    /// never followed. Removals in one directory are sent together.
    /// </summary>
    /// <param name="path">The remote path (a file is simply removed).</param>
    /// <param name="cancellationToken">Stops the removal (what was removed stays removed).</param>
    /// <returns>Completes when it is gone.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task RemoveTreeAsync(string path, CancellationToken cancellationToken = default)
    {
        SftpAttributes attributes = await LStatAsync(path, cancellationToken).ConfigureAwait(false);
        if (!attributes.IsDirectory)
        {
            await RemoveAsync(path, cancellationToken).ConfigureAwait(false);
            return;
        }

        var removals = new List<Task>();
        var directories = new List<string>();
        await foreach (SftpName entry in ListDirectoryAsync(path, cancellationToken).ConfigureAwait(false))
        {
            string child = SftpPath.Combine(path, entry.FileName);
            if (entry.Attributes.IsDirectory)
            {
                directories.Add(child);
            }
            else
            {
                removals.Add(RemoveAsync(child, cancellationToken));
            }
        }

        foreach (string directory in directories)
        {
            removals.Add(RemoveTreeAsync(directory, cancellationToken));
        }

        await Task.WhenAll(removals).ConfigureAwait(false);
        await RmdirAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The remote paths matching <paramref name="pattern"/>, component by component: <c>*</c>,
    /// <c>?</c>, <c>[...]</c> within a component, <c>**</c> for any number of directories (zero
    /// included). A pattern without wildcards yields itself when it exists. Names starting with a
    /// dot match only a component starting with one. Streams as directories are listed.
    /// </summary>
    /// <param name="pattern">E.g. <c>/var/log/**/*.log</c> or <c>data/202?-0[1-6]*</c>.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The matching paths.</returns>
    /// <exception cref="SftpException">The server's failure on a directory that exists.</exception>
    public async IAsyncEnumerable<string> GlobAsync(string pattern, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        bool absolute = pattern.StartsWith('/');
        string[] parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        await foreach (string match in GlobFromAsync(absolute ? "/" : string.Empty, parts, 0, cancellationToken).ConfigureAwait(false))
        {
            yield return match;
        }
    }

    /// <summary>The cold observable form of <see cref="GlobAsync"/>: each subscription walks anew.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The matching paths.</returns>
    public IObservable<string> Glob(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return Observable.Create<string>(async (observer, cancellationToken) =>
        {
            await foreach (string path in GlobAsync(pattern, cancellationToken).ConfigureAwait(false))
            {
                observer.OnNext(path);
            }

            observer.OnCompleted();
        });
    }

    private async IAsyncEnumerable<string> GlobFromAsync(string directory, string[] parts, int index, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (index == parts.Length)
        {
            if (directory.Length > 0 && await LExistsAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                yield return directory;
            }

            yield break;
        }

        string part = parts[index];
        if (part == "**")
        {
            // Zero directories, then each directory below, recursively.
            await foreach (string match in GlobFromAsync(directory, parts, index + 1, cancellationToken).ConfigureAwait(false))
            {
                yield return match;
            }

            await foreach (SftpName entry in ListOrEmptyAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Attributes.IsDirectory && !entry.FileName.StartsWith('.'))
                {
                    await foreach (string match in GlobFromAsync(SftpPath.Combine(directory, entry.FileName), parts, index, cancellationToken).ConfigureAwait(false))
                    {
                        yield return match;
                    }
                }
            }

            yield break;
        }

        if (!SftpGlob.HasWildcard(part))
        {
            await foreach (string match in GlobFromAsync(SftpPath.Combine(directory, part), parts, index + 1, cancellationToken).ConfigureAwait(false))
            {
                yield return match;
            }

            yield break;
        }

        bool last = index == parts.Length - 1;
        await foreach (SftpName entry in ListOrEmptyAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            if (!SftpGlob.IsMatch(part, entry.FileName))
            {
                continue;
            }

            string child = SftpPath.Combine(directory, entry.FileName);
            if (last)
            {
                yield return child;
            }
            else
            {
                await foreach (string match in GlobFromAsync(child, parts, index + 1, cancellationToken).ConfigureAwait(false))
                {
                    yield return match;
                }
            }
        }
    }

    private async IAsyncEnumerable<SftpName> ListOrEmptyAsync(string directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string path = directory.Length == 0 ? "." : directory;
        if (!await IsDirectoryAsync(path, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        await foreach (SftpName entry in ListDirectoryAsync(path, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    private async Task<bool> LExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await LStatAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SftpException e) when (e.Code == SftpStatusCode.NoSuchFile)
        {
            return false;
        }
    }
}
