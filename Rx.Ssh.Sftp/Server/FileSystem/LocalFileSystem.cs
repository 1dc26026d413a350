using Rx.Ssh.Sftp.Server.FileSystem;
using static Rx.Ssh.Sftp.Server.FileSystem.PosixNative;

namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// The local file system as the server process's user sees it (Linux): .NET file I/O, and libc
/// where .NET lacks a call (see ARCHITECTURE.md). With a <see cref="Root"/> other than <c>/</c>
/// the session is confined to it (chroot semantics without privileges): <c>/</c> is the root
/// directory, and no path, <c>..</c>, absolute symbolic link target or chain of links reaches
/// outside it; paths are resolved one component at a time, links followed inside the root, and
/// the new names of rename, symlink and hard link are confined the same way (a symbolic link's
/// target is stored relative to the link, clamped inside the root). Relative paths start at
/// <see cref="StartDirectory"/>. Override <see cref="MapPath"/> to change how client paths become
/// host paths, and any operation to change what it does.
/// </summary>
public partial class LocalFileSystem : SftpFileSystem
{
    /// <summary>
    /// One lock for every confined instance in the process (sessions of one root, or of roots
    /// inside one another): resolving a path and using it is a shared step, a change that could
    /// swap a directory on it for a symbolic link an exclusive one (see ARCHITECTURE.md). The steps
    /// are synchronous system calls, so the thread-affine lock is held on one thread only, briefly.
    /// </summary>
    internal static readonly ReaderWriterLockSlim ConfinementLock = new(LockRecursionPolicy.NoRecursion);

    private readonly ConfinedPathResolver _resolver;
    private readonly UserNameCache _names = new();

    /// <summary>Creates the file system.</summary>
    /// <param name="root">The host directory that is <c>/</c> for the client (must exist); <c>/</c> for the whole file system.</param>
    /// <param name="startDirectory">
    /// The client path relative paths start at (what <c>pwd</c> shows first); null: the process
    /// user's home directory without a root, <c>/</c> with one.
    /// </param>
    /// <exception cref="SftpFileSystemException">The root does not exist or is not a directory.</exception>
    public LocalFileSystem(string root = "/", string? startDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var unconfined = new ConfinedPathResolver("/", "/");
        ResolvedPath realRoot = unconfined.Resolve(Path.GetFullPath(root), followFinalLink: true);
        if (!realRoot.Exists || Posix.Stat(realRoot.HostPath, followLinks: true).Type != FileSystemEntryType.Directory)
        {
            throw new SftpFileSystemException(FileSystemError.NoSuchFile, $"The root directory {root} does not exist.");
        }

        Root = realRoot.HostPath;
        string start = startDirectory ?? (IsConfined ? "/" : HomeOf(Environment.UserName) ?? "/");
        _resolver = new ConfinedPathResolver(Root, new ConfinedPathResolver(Root, "/").Normalize(start));
    }

    /// <summary>The host directory that is <c>/</c> for the client, with symbolic links resolved.</summary>
    public string Root { get; }

    /// <summary>Whether sessions are confined to <see cref="Root"/> (it is not <c>/</c>).</summary>
    public bool IsConfined => Root != "/";

    /// <summary>The client path relative paths start at.</summary>
    public string StartDirectory => _resolver.StartDirectory;

    /// <summary>
    /// The host path for a client path (the <c>map_path</c> hook). Confined: resolved inside the
    /// root as the class summary says, every directory on the way real; otherwise the path made
    /// absolute from <see cref="StartDirectory"/> and left to the kernel.
    /// </summary>
    /// <param name="path">The client's path.</param>
    /// <param name="followFinalLink">Whether a symbolic link as the last component is followed (stat, open) or not (lstat, remove, rename, readlink).</param>
    /// <returns>The host path.</returns>
    /// <exception cref="SftpFileSystemException">The path cannot be resolved (a missing directory on the way, a loop, a NUL).</exception>
    protected virtual string MapPath(string path, bool followFinalLink)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsConfined)
        {
            return _resolver.Resolve(path, followFinalLink).HostPath;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new SftpFileSystemException(FileSystemError.NoSuchFile, "Path contains a NUL character");
        }

        return path.StartsWith('/') ? path : path.Length == 0 ? StartDirectory : StartDirectory.TrimEnd('/') + "/" + path;
    }

    /// <inheritdoc/>
    public override ValueTask<FileSystemAttributes> GetAttributesAsync(string path, bool followLinks, CancellationToken cancellationToken) =>
        Run(() => Lookup(() => Posix.Stat(MapPath(path, followLinks), followLinks)));

    /// <inheritdoc/>
    public override ValueTask SetAttributesAsync(string path, FileSystemAttributes attributes, bool followLinks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return Run(() => Lookup(() => Posix.SetAttributes(MapPath(path, followLinks), attributes, followLinks)));
    }

    /// <inheritdoc/>
    public override ValueTask CreateDirectoryAsync(string path, FileSystemAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return Run(() => Lookup(() => PosixErrors.Check(mkdir(MapPath(path, followFinalLink: false), (attributes.Permissions ?? 0x1FF) & 0xFFF))));
    }

    /// <inheritdoc/>
    public override ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken) =>
        Run(() => Change(() => PosixErrors.Check(rmdir(MapPath(path, followFinalLink: false)))));

    /// <inheritdoc/>
    public override ValueTask RemoveFileAsync(string path, CancellationToken cancellationToken) =>
        Run(() => Change(() => PosixErrors.Check(unlink(MapPath(path, followFinalLink: false)))));

    /// <inheritdoc/>
    public override ValueTask RenameAsync(string oldPath, string newPath, bool replace, CancellationToken cancellationToken) => Run(() => Change(() =>
    {
        string from = MapPath(oldPath, followFinalLink: false);
        string to = MapPath(newPath, followFinalLink: false);
        if (replace)
        {
            PosixErrors.Check(rename(from, to));
            return;
        }

        if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        {
            return;
        }

        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno is not (EINVAL or ENOSYS))
        {
            throw PosixErrors.From(errno);
        }

        // A file system without RENAME_NOREPLACE: check, then rename (as sshd does for non-files).
        if (Posix.TryStat(to, followLinks: false) is not null)
        {
            throw PosixErrors.From(EEXIST);
        }

        PosixErrors.Check(rename(from, to));
    }));

    /// <inheritdoc/>
    public override ValueTask CreateSymbolicLinkAsync(string linkPath, string targetPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkPath);
        ArgumentNullException.ThrowIfNull(targetPath);
        return Run(() => Change(() =>
        {
            string link = MapPath(linkPath, followFinalLink: false);
            string target = IsConfined ? ConfineLinkTarget(linkPath, targetPath) : targetPath;
            if (target.Contains('\0', StringComparison.Ordinal))
            {
                throw new SftpFileSystemException(FileSystemError.NoSuchFile, "Path contains a NUL character");
            }

            PosixErrors.Check(symlink(target, link));
        }));
    }

    /// <inheritdoc/>
    public override ValueTask<string> ReadLinkAsync(string path, CancellationToken cancellationToken) =>
        Run(() => Lookup(() => Posix.ReadLink(MapPath(path, followFinalLink: false))));

    /// <inheritdoc/>
    public override ValueTask<string> RealPathAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Run(() => Lookup(() => _resolver.Resolve(path, followFinalLink: true).ClientPath));
    }

    /// <inheritdoc/>
    public override ValueTask CreateHardLinkAsync(string existingPath, string newPath, CancellationToken cancellationToken) =>
        Run(() => Change(() => PosixErrors.Check(link(MapPath(existingPath, followFinalLink: false), MapPath(newPath, followFinalLink: false)))));

    /// <inheritdoc/>
    public override ValueTask<FileSystemSpace> GetSpaceAsync(string path, CancellationToken cancellationToken) =>
        Run(() => Lookup(() => Posix.Space(MapPath(path, followFinalLink: true))));

    /// <inheritdoc/>
    public override ValueTask<string> GetHomeDirectoryAsync(string userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (IsConfined)
        {
            return ValueTask.FromResult(StartDirectory);
        }

        return HomeOf(userName) is { } home
            ? ValueTask.FromResult(home)
            : ValueTask.FromException<string>(new SftpFileSystemException(FileSystemError.NoSuchFile, $"No such user: {userName}"));
    }

    /// <inheritdoc/>
    public override ValueTask<string?> GetUserNameAsync(uint userId, CancellationToken cancellationToken) => ValueTask.FromResult(_names.User(userId));

    /// <inheritdoc/>
    public override ValueTask<string?> GetGroupNameAsync(uint groupId, CancellationToken cancellationToken) => ValueTask.FromResult(_names.Group(groupId));

    /// <summary>Runs a synchronous file-system call, its failure as a faulted task.</summary>
    private protected static ValueTask Run(Action call)
    {
        try
        {
            call();
            return ValueTask.CompletedTask;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException(FileSystemErrors.ToException(ex));
        }
    }

    /// <summary>Runs a synchronous file-system call, its failure as a faulted task.</summary>
    private protected static ValueTask<T> Run<T>(Func<T> call)
    {
        try
        {
            return ValueTask.FromResult(call());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException<T>(FileSystemErrors.ToException(ex));
        }
    }

    /// <summary>
    /// Runs a call that resolves a confined path and then uses it, under the shared side of
    /// <see cref="ConfinementLock"/>, so no confined session's change lands between the two steps.
    /// </summary>
    private protected T Lookup<T>(Func<T> call)
    {
        if (!IsConfined)
        {
            return call();
        }

        ConfinementLock.EnterReadLock();
        try
        {
            return call();
        }
        finally
        {
            ConfinementLock.ExitReadLock();
        }
    }

    /// <inheritdoc cref="Lookup{T}(Func{T})"/>
    private protected void Lookup(Action call) => Lookup(() =>
    {
        call();
        return true;
    });

    /// <summary>
    /// Runs a call that can turn a real directory on a resolved path into something else (remove,
    /// rmdir, rename, symlink, hard link: the moves that could swap a directory for a symbolic link,
    /// or move a relative link to where it points elsewhere) under the exclusive side of
    /// <see cref="ConfinementLock"/>: it waits for every confined lookup in flight, and they for it.
    /// </summary>
    private protected void Change(Action call)
    {
        if (!IsConfined)
        {
            call();
            return;
        }

        ConfinementLock.EnterWriteLock();
        try
        {
            call();
        }
        finally
        {
            ConfinementLock.ExitWriteLock();
        }
    }

    private static string? HomeOf(string user) => Posix.HomeDirectory(user) is { Length: > 0 } home ? home : null;

    // The target a confined link stores: relative to the link's directory, normalised inside the root,
    // so the link also stays inside the root for anyone on the host who follows it.
    private string ConfineLinkTarget(string linkPath, string targetPath)
    {
        string linkClient = _resolver.Normalize(linkPath);
        string linkDirectory = linkClient == "/" ? "/" : linkClient[..linkClient.LastIndexOf('/')];
        string targetClient = targetPath.StartsWith('/') ? _resolver.Normalize(targetPath) : new ConfinedPathResolver(Root, linkDirectory.Length == 0 ? "/" : linkDirectory).Normalize(targetPath);
        string[] from = linkDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string[] to = targetClient.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int common = 0;
        while (common < from.Length && common < to.Length && from[common] == to[common])
        {
            common++;
        }

        string relative = string.Join('/', Enumerable.Repeat("..", from.Length - common).Concat(to.Skip(common)));
        return relative.Length == 0 ? "." : relative;
    }
}
