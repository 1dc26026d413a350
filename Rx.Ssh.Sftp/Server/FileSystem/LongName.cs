using System.Globalization;
using System.Text;

namespace Rx.Ssh.Sftp.Server;

/// <summary>The <c>ls -l</c> style line SFTP version 3 sends with each directory entry (the format sshd uses).</summary>
public static class LongName
{
    /// <summary>
    /// Formats the line: mode string, link count, owner, group, size, modification time
    /// (<c>Mon dd HH:mm</c> within six months, else <c>Mon dd  yyyy</c>) and name.
    /// </summary>
    /// <param name="name">The entry's name.</param>
    /// <param name="attributes">Its attributes.</param>
    /// <param name="owner">The owner's name; null prints the numeric id.</param>
    /// <param name="group">The group's name; null prints the numeric id.</param>
    /// <returns>The line.</returns>
    public static string Format(string name, FileSystemAttributes attributes, string? owner, string? group)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(attributes);
        CultureInfo c = CultureInfo.InvariantCulture;
        owner ??= attributes.UserId?.ToString(c) ?? "0";
        group ??= attributes.GroupId?.ToString(c) ?? "0";
        string time = string.Empty;
        if (attributes.ModifyTime is { } mtime)
        {
            DateTime local = mtime.LocalDateTime;
            bool recent = Math.Abs((DateTime.Now - local).TotalDays) < 182;
            time = local.ToString(recent ? "MMM dd HH:mm" : "MMM dd  yyyy", c);
        }

        return string.Format(
            c,
            "{0} {1,4} {2,-8} {3,-8} {4,8} {5,12} {6}",
            ModeString(attributes.Permissions ?? 0),
            attributes.LinkCount ?? 1,
            Clip(owner),
            Clip(group),
            attributes.Size ?? 0,
            time,
            name);
    }

    /// <summary>The ten-character mode string (<c>drwxr-xr-x</c>), with set-id and sticky bits as <c>ls</c> shows them.</summary>
    /// <param name="mode">The POSIX mode.</param>
    /// <returns>The string.</returns>
    public static string ModeString(uint mode)
    {
        var s = new StringBuilder(10);
        s.Append(((FileSystemEntryType)(mode & 0xF000)) switch
        {
            FileSystemEntryType.Directory => 'd',
            FileSystemEntryType.SymbolicLink => 'l',
            FileSystemEntryType.CharacterDevice => 'c',
            FileSystemEntryType.BlockDevice => 'b',
            FileSystemEntryType.Fifo => 'p',
            FileSystemEntryType.Socket => 's',
            _ => '-',
        });
        Triple(s, mode >> 6, (mode & 0x800) != 0, 's');
        Triple(s, mode >> 3, (mode & 0x400) != 0, 's');
        Triple(s, mode, (mode & 0x200) != 0, 't');
        return s.ToString();
    }

    private static void Triple(StringBuilder s, uint bits, bool special, char mark)
    {
        s.Append((bits & 4) != 0 ? 'r' : '-');
        s.Append((bits & 2) != 0 ? 'w' : '-');
        bool x = (bits & 1) != 0;
        s.Append(special ? (x ? mark : char.ToUpperInvariant(mark)) : x ? 'x' : '-');
    }

    private static string Clip(string name) => name.Length > 8 ? name[..8] : name;
}
