using System.Diagnostics;

/// <summary>
/// Fresh ed25519 host and user keys, an authorized_keys file and a known_hosts file in a temporary
/// directory that <see cref="Dispose"/> deletes. Every server under test is started with the same
/// host key and authorized_keys, and <see cref="Trust"/> adds its port to known_hosts.
/// </summary>
internal sealed class BenchKeys : IDisposable
{
    private readonly Lock _gate = new();

    private BenchKeys(string directory) => Directory = directory;

    public string Directory { get; }

    public string UserName { get; } = Environment.UserName;

    public string HostKey => Path.Combine(Directory, "host_ed25519");

    public string UserKey => Path.Combine(Directory, "id_ed25519");

    public string AuthorizedKeys => Path.Combine(Directory, "authorized_keys");

    public string KnownHosts => Path.Combine(Directory, "known_hosts");

    public static async Task<BenchKeys> CreateAsync()
    {
        var keys = new BenchKeys(System.IO.Directory.CreateTempSubdirectory("rxssh-bench-").FullName);
        try
        {
            await KeygenAsync(keys.HostKey);
            await KeygenAsync(keys.UserKey);
            File.Copy(keys.UserKey + ".pub", keys.AuthorizedKeys);
            await File.WriteAllTextAsync(keys.KnownHosts, string.Empty);
            return keys;
        }
        catch
        {
            keys.Dispose();
            throw;
        }
    }

    /// <summary>Makes clients trust the host key at <c>[127.0.0.1]:port</c>.</summary>
    public void Trust(int port)
    {
        string hostPub = File.ReadAllText(HostKey + ".pub").Trim();
        lock (_gate)
        {
            File.AppendAllText(KnownHosts, $"[127.0.0.1]:{port} {hostPub}\n");
        }
    }

    /// <summary>A subdirectory for one server's own files (config, pid file, log).</summary>
    public string CreateSubdirectory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;

    public void Dispose() => System.IO.Directory.Delete(Directory, true);

    private static async Task KeygenAsync(string path)
    {
        var psi = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", path })
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("ssh-keygen failed: " + err);
        }
    }
}
