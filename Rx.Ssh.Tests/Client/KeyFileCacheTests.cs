using System.Reactive.Linq;
using Rx.Ssh.Client;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Client;

/// <summary>
/// Issue 15, item 5: keys from key files are read and decrypted once and shared by every
/// connection naming the same unchanged file with the same passphrase; a changed file or another
/// passphrase is read again; <see cref="SshClientOptions.CacheKeyFiles"/> off reads per connection.
/// </summary>
public sealed class KeyFileCacheTests : IDisposable
{
    private const string Passphrase = "fleet passphrase";
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-keycache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Twenty_hosts_with_one_encrypted_key_file_decrypt_it_once()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string path = Path.Combine(_dir, "id_fleet");
        key.Save(path, Passphrase);
        Settle(path, TimeSpan.FromMinutes(1));

        // Read once; then the file's bytes are spoiled under the same stamp, so any connection that
        // read it again would fail: the twenty below succeed only from the cache.
        Assert.Equal(key.PublicKey, KeyFileCache.Load(path, Passphrase, SshKeyLoadLimits.Default, CancellationToken.None).PublicKey);
        SpoilKeepingStamp(path);
        var servers = new List<InMemorySshServer>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                servers.Add(new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok")) with
                {
                    PasswordValidator = null,
                    PublicKeyValidator = (_, offered) => ValueTask.FromResult(offered.Equals(key.PublicKey)),
                }));
            }

            SshClientOptions options = InMemoryServer.DefaultClientOptions() with { Password = null, KeyFiles = [path], Passphrase = Passphrase, UseAgent = false };
            IList<SshHostResult<SshCompletedProcess>> results = await servers.Select(s => s.GetHost(options)).RunAll("x").ToList().WithTimeout(TestTimeout.Long);

            Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.ToString()));
        }
        finally
        {
            foreach (InMemorySshServer server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Another_passphrase_or_a_changed_file_is_read_again()
    {
        using SshPrivateKey first = SshPrivateKey.Generate("ssh-ed25519");
        string path = Path.Combine(_dir, "id_changing");
        first.Save(path, Passphrase);
        Settle(path, TimeSpan.FromMinutes(1));

        SshPrivateKey a = KeyFileCache.Load(path, Passphrase, SshKeyLoadLimits.Default, CancellationToken.None);
        Assert.Same(a, KeyFileCache.Load(path, Passphrase, SshKeyLoadLimits.Default, CancellationToken.None));

        // A wrong passphrase is never answered from the cache.
        Assert.ThrowsAny<SshKeyFormatException>(() => KeyFileCache.Load(path, "wrong", SshKeyLoadLimits.Default, CancellationToken.None));

        // The file replaced by another key: read again, the new key.
        using SshPrivateKey second = SshPrivateKey.Generate("ssh-ed25519");
        second.Save(path, Passphrase);
        Settle(path, TimeSpan.FromSeconds(30));
        SshPrivateKey b = KeyFileCache.Load(path, Passphrase, SshKeyLoadLimits.Default, CancellationToken.None);
        Assert.Equal(second.PublicKey, b.PublicKey);
        Assert.NotEqual(a.PublicKey, b.PublicKey);
    }

    [Fact]
    public async Task With_the_cache_off_each_connection_reads_its_key()
    {
        using SshPrivateKey first = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey second = SshPrivateKey.Generate("ssh-ed25519");
        string path = Path.Combine(_dir, "id_uncached");
        first.Save(path);
        Settle(path, TimeSpan.FromMinutes(1));
        var offered = new List<SshPublicKey>();
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok")) with
        {
            PasswordValidator = null,
            PublicKeyValidator = (_, key) =>
            {
                lock (offered)
                {
                    offered.Add(key);
                }

                return ValueTask.FromResult(true);
            },
        });
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with { Password = null, KeyFiles = [path], UseAgent = false, CacheKeyFiles = false };

        Assert.Equal("ok", (await server.GetHost(options).RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);

        // Another key under the same stamp: a cache would still answer with the first.
        ReplaceKeepingStamp(path, () => second.Save(path));
        Assert.Equal("ok", (await server.GetHost(options).RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);

        lock (offered)
        {
            Assert.Equal(first.PublicKey, offered[0]);
            Assert.Equal(second.PublicKey, offered[^1]);
        }

        Assert.True(new SshClientOptions().CacheKeyFiles);
    }

    [Fact]
    public void A_file_written_just_now_is_read_at_every_use_until_it_settles()
    {
        // File times have a coarse clock: a key replaced by another of the same length moments later
        // could keep the same length and time, so a fresh file is never answered from the cache.
        using SshPrivateKey first = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey second = SshPrivateKey.Generate("ssh-ed25519");
        string path = Path.Combine(_dir, "id_racy");
        first.Save(path);
        Assert.Equal(first.PublicKey, KeyFileCache.Load(path, null, SshKeyLoadLimits.Default, CancellationToken.None).PublicKey);
        second.Save(path);
        Assert.Equal(second.PublicKey, KeyFileCache.Load(path, null, SshKeyLoadLimits.Default, CancellationToken.None).PublicKey);
    }

    [Fact]
    public async Task A_known_hosts_file_is_parsed_once_for_many_verifications_and_again_when_it_changes()
    {
        SshPublicKey hostKey = InMemoryServer.HostKey.PublicKey;
        string path = Path.Combine(_dir, "known_hosts");
        File.WriteAllText(path, $"web1,web2,web3 {hostKey.ToOpenSshString()}\n");
        Settle(path, TimeSpan.FromMinutes(1));
        var verifier = new KnownHostsVerifier(path);

        await verifier.VerifyAsync(new HostKeyContext("web1", 22, hostKey));

        // Parsed once: with its bytes spoiled under the same stamp, the others still verify.
        SpoilKeepingStamp(path);
        foreach (string host in new[] { "web2", "web3", "web1" })
        {
            await verifier.VerifyAsync(new HostKeyContext(host, 22, hostKey));
        }

        // Changed (a host removed): read again, and the change holds.
        File.WriteAllText(path, $"web1 {hostKey.ToOpenSshString()}\n");
        Settle(path, TimeSpan.FromSeconds(30));
        await verifier.VerifyAsync(new HostKeyContext("web1", 22, hostKey));
        await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => verifier.VerifyAsync(new HostKeyContext("web2", 22, hostKey)).AsTask());
    }

    /// <summary>Dates the file <paramref name="age"/> back, as a file written that long ago.</summary>
    private static void Settle(string path, TimeSpan age) => File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);

    /// <summary>Overwrites the file's bytes with <c>#</c> (no key, no known host), keeping its length and time: what only a cache still reads as before.</summary>
    private static void SpoilKeepingStamp(string path) =>
        ReplaceKeepingStamp(path, () => File.WriteAllBytes(path, Enumerable.Repeat((byte)'#', (int)new FileInfo(path).Length).ToArray()));

    /// <summary>Runs <paramref name="write"/> on the file and puts its old time back; the length must not change.</summary>
    private static void ReplaceKeepingStamp(string path, Action write)
    {
        var before = new FileInfo(path);
        (long length, DateTime written) = (before.Length, before.LastWriteTimeUtc);
        write();
        Assert.Equal(length, new FileInfo(path).Length);
        File.SetLastWriteTimeUtc(path, written);
    }
}
