using System.Collections.Concurrent;

namespace Rx.Ssh.Sftp.Server.FileSystem;

/// <summary>User and group names by id, looked up once each (directory listings ask for the same few ids again and again).</summary>
internal sealed class UserNameCache
{
    private const int MaxEntries = 4096;
    private readonly ConcurrentDictionary<uint, string?> _users = new();
    private readonly ConcurrentDictionary<uint, string?> _groups = new();

    public string? User(uint id) => Get(_users, id, Posix.UserName);

    public string? Group(uint id) => Get(_groups, id, Posix.GroupName);

    private static string? Get(ConcurrentDictionary<uint, string?> cache, uint id, Func<uint, string?> lookup)
    {
        if (cache.TryGetValue(id, out string? name))
        {
            return name;
        }

        name = lookup(id);
        if (cache.Count < MaxEntries)
        {
            cache.TryAdd(id, name);
        }

        return name;
    }
}
