using System.Collections.Immutable;

namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// Where each directory of a link-following walk really is (its path with every link resolved), and
/// the real directories above it on the way there, so that a link leading back to one of them (a
/// loop, which would be walked without end) is not followed. Directories are registered by the path
/// the walk uses: roots and followed links explicitly, plain subdirectories derived from their parent.
/// </summary>
/// <param name="separator">The path separator (<c>/</c> remote, the OS's locally).</param>
/// <param name="parentOf">A path's parent directory.</param>
/// <param name="nameOf">A path's last component.</param>
internal sealed class WalkPlaces(char separator, Func<string, string> parentOf, Func<string, string> nameOf)
{
    private readonly Dictionary<string, Place> _places = new(StringComparer.Ordinal);

    /// <summary>Registers a root of the walk, really at <paramref name="real"/>.</summary>
    public void AddRoot(string path, string real) => _places[path] = new Place(real, []);

    /// <summary>
    /// Registers the link <paramref name="link"/> (in <paramref name="directory"/>) to the directory
    /// really at <paramref name="target"/>, unless following it loops: the target is one of the real
    /// directories the walk passed to get here, or above one of them.
    /// </summary>
    /// <returns>True when the link can be followed.</returns>
    public bool TryEnter(string directory, string link, string target)
    {
        Place parent = PlaceOf(directory);
        ImmutableArray<string> above = parent.Above.Add(parent.Real);
        foreach (string passed in above)
        {
            if (IsAtOrBelow(passed, target))
            {
                return false;
            }
        }

        _places[link] = new Place(target, above);
        return true;
    }

    private Place PlaceOf(string directory)
    {
        if (_places.TryGetValue(directory, out Place place))
        {
            return place;
        }

        string parentPath = parentOf(directory);
        if (parentPath.Length == 0 || parentPath == directory)
        {
            throw new InvalidOperationException($"{directory} is not under a root of the walk.");
        }

        Place parent = PlaceOf(parentPath);
        string real = parent.Real.EndsWith(separator) ? parent.Real + nameOf(directory) : parent.Real + separator + nameOf(directory);
        place = new Place(real, parent.Above);
        _places[directory] = place;
        return place;
    }

    private bool IsAtOrBelow(string path, string ancestor) =>
        path == ancestor
        || (path.StartsWith(ancestor, StringComparison.Ordinal)
            && (ancestor.EndsWith(separator) || (path.Length > ancestor.Length && path[ancestor.Length] == separator)));

    /// <summary>A directory's real path and the real directories passed on the way to it.</summary>
    private readonly record struct Place(string Real, ImmutableArray<string> Above);
}
