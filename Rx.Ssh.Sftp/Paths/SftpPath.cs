namespace Rx.Ssh.Sftp;

/// <summary>Remote path arithmetic: SFTP paths are POSIX paths, <c>/</c>-separated, whatever the local OS.</summary>
public static class SftpPath
{
    /// <summary>Joins <paramref name="directory"/> and <paramref name="name"/> with one <c>/</c> (an absolute <paramref name="name"/> wins).</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="name">A name or relative path below it.</param>
    /// <returns>The joined path.</returns>
    public static string Combine(string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(name);
        if (name.StartsWith('/') || directory.Length == 0)
        {
            return name;
        }

        if (name.Length == 0)
        {
            return directory;
        }

        return directory.EndsWith('/') ? directory + name : directory + "/" + name;
    }

    /// <summary>The last component of <paramref name="path"/> (trailing slashes ignored).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The name; empty for <c>/</c>.</returns>
    public static string GetFileName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>Everything before the last component: <c>/</c> for a top-level absolute path, <c>.</c> for a bare name.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The parent.</returns>
    public static string GetDirectoryName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : trimmed[..slash];
    }
}
