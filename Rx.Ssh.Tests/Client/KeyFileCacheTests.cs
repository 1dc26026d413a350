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
            Assert.Equal(1, KeyFileCache.ReadsOf(Path.GetFullPath(path)));
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
        string full = Path.GetFullPath(path);

        SshPrivateKey a = KeyFileCache.Load(path, Passphrase, SshKeyLoadLimits.Default, CancellationToken.None);
        Assert.Same(a, KeyFileCache.Load(path, Passphrase, SshKeyLoadLimits.Default, CancellationToken.None));
        Assert.Equal(1, KeyFileCache.ReadsOf(full));

        // A wrong passphrase is never answered from the cache.
        Assert.ThrowsAny<SshKeyFormatException>(() => KeyFileCache.Load(path, "wrong", SshKeyLoadLimits.Default, CancellationToken.None));

        // The file replaced by another key: read again, the new key.
        using SshPrivateKey second = SshPrivateKey.Generate("ssh-ed25519");
        second.Save(path, Passphrase);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        SshPrivateKey b = KeyFileCache.Load(path, Passphrase, SshKeyLoadLimits.Default, CancellationToken.None);
        Assert.Equal(second.PublicKey, b.PublicKey);
        Assert.NotEqual(a.PublicKey, b.PublicKey);
    }

    [Fact]
    public async Task With_the_cache_off_each_connection_reads_its_key()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string path = Path.Combine(_dir, "id_uncached");
        key.Save(path);
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok")) with
        {
            PasswordValidator = null,
            PublicKeyValidator = (_, offered) => ValueTask.FromResult(offered.Equals(key.PublicKey)),
        });
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with { Password = null, KeyFiles = [path], UseAgent = false, CacheKeyFiles = false };

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal("ok", (await server.GetHost(options).RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        }

        Assert.Equal(0, KeyFileCache.ReadsOf(Path.GetFullPath(path)));
        Assert.True(new SshClientOptions().CacheKeyFiles);
    }
}
