using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Macs;
using Rx.Ssh.Samples;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Algorithms;

/// <summary><see cref="SshAlgorithms.Hardened"/>: its lists, that it works, that the defaults stay OpenSSH-compatible, and serve's use of it.</summary>
public sealed class HardenedProfileTests
{
    private static readonly SshAlgorithms H = SshAlgorithms.Hardened;

    [Fact]
    public void Every_name_resolves_in_the_catalogue()
    {
        Assert.All(H.KeyExchange, n => Assert.True(AlgorithmCatalog.KeyExchange.ContainsKey(n), n));
        Assert.All(H.HostKey, n => Assert.Contains(n, AlgorithmCatalog.HostKey));
        Assert.All(H.Ciphers, n => Assert.True(AlgorithmCatalog.Ciphers.ContainsKey(n), n));
        Assert.All(H.Macs, n => Assert.True(AlgorithmCatalog.Macs.ContainsKey(n), n));
        Assert.All(H.Compression, n => Assert.Contains(n, AlgorithmCatalog.Compression));
    }

    [Fact]
    public void Key_exchange_has_no_nist_curves_no_sha1_and_no_2048_bit_groups()
    {
        Assert.Equal(
            [
                "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
                "curve25519-sha256", "curve25519-sha256@libssh.org",
                "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
            ],
            H.KeyExchange);
        Assert.DoesNotContain(H.KeyExchange, k => k.Contains("nistp", StringComparison.Ordinal) || k.Contains("sha1", StringComparison.Ordinal));
    }

    [Fact]
    public void Macs_are_encrypt_then_mac_sha2_or_128_bit_umac_only()
    {
        Assert.Equal(["hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "umac-128-etm@openssh.com"], H.Macs);
        Assert.All(H.Macs, n =>
        {
            MacAlgorithm mac = AlgorithmCatalog.Macs[n];
            Assert.True(mac.IsEncryptThenMac, n);
            Assert.True(mac.Length >= 16, $"{n}: {mac.Length}-byte tag");
            Assert.DoesNotContain("sha1", n, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Ciphers_put_aead_first_and_have_no_cbc()
    {
        Assert.Equal(
            ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr"],
            H.Ciphers);
        Assert.True(H.Ciphers.Take(3).All(c => AlgorithmCatalog.Ciphers[c].IsAead));
    }

    [Fact]
    public void Host_keys_put_ed25519_then_rsa_sha2_first_and_never_sha1()
    {
        Assert.Equal(
            ["ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"],
            H.HostKey);
        Assert.DoesNotContain("ssh-rsa", H.HostKey);
        Assert.DoesNotContain("ssh-dss", H.HostKey);
    }

    [Fact]
    public void The_library_defaults_stay_openssh_compatible()
    {
        // OpenSSH's defaults include NIST-curve ECDH and non-EtM SHA-2 MACs; ours must keep them.
        Assert.NotSame(SshAlgorithms.Default, H);
        Assert.Contains("ecdh-sha2-nistp256", SshAlgorithms.Default.KeyExchange);
        Assert.Contains("diffie-hellman-group14-sha256", SshAlgorithms.Default.KeyExchange);
        Assert.Contains("hmac-sha2-256", SshAlgorithms.Default.Macs);
        Assert.Contains("umac-64-etm@openssh.com", SshAlgorithms.Default.Macs);
    }

    [Fact]
    public async Task A_default_client_connects_to_a_hardened_server()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with { Algorithms = H });
        Assert.Equal("mlkem768x25519-sha256", pair.Client.KeyExchange);
        Assert.Equal("aes128-gcm@openssh.com", pair.Client.Cipher);
    }

    [Fact]
    public async Task A_client_with_only_non_etm_macs_and_ctr_cannot_negotiate_with_a_hardened_server()
    {
        // What Dropbear's dbclient offers with -c aes128-ctr.
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            Algorithms = SshAlgorithms.Default with { Ciphers = ["aes128-ctr"], Macs = ["hmac-sha2-256", "hmac-sha1"] },
        };
        using CancellationTokenSource deadline = TestTimeout.CreateCancellation();
        SshKeyExchangeException error = await Assert.ThrowsAsync<SshKeyExchangeException>(
            () => InMemorySshPair.StartAsync(InMemoryServer.DefaultServerOptions() with { Algorithms = H }, client, deadline.Token).WithTimeout());
        Assert.Contains("hmac-sha2-256", error.Ours.Concat(error.Theirs));
    }

    [Fact]
    public void Serve_uses_the_hardened_profile_unless_compatible_is_asked_for()
    {
        Assert.Same(H, new ServeSettings { HostKeys = [], AuthorizedKeys = AuthorizedKeysFile.Parse(string.Empty) }.Algorithms);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_compatible_flag_gives_serve_the_default_set(bool compatible)
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-hardened-").FullName;
        try
        {
            string authorized = Path.Combine(directory, "authorized_keys");
            await File.WriteAllTextAsync(authorized, TestKeys.Ed25519.PublicKeyLine + "\n");
            ServeSettings? settings = await ServeCommand.LoadSettingsAsync(new SampleContext
            {
                HostKeys = [HostKeys.Default[0].PrivateKeyPath],
                AuthorizedKeys = authorized,
                Compatible = compatible,
                Out = TextWriter.Null,
                Error = TextWriter.Null,
            });

            Assert.NotNull(settings);
            Assert.Same(compatible ? SshAlgorithms.Default : H, settings.Algorithms);
            Assert.Same(settings.Algorithms, ServeServer.CreateOptions(settings).Algorithms);
        }
        finally
        {
            KeyCache.TryDelete(directory);
        }
    }

    [Fact]
    public void The_compatible_flag_is_on_the_command_line()
    {
        SampleContext? seen = null;
        int exit = CommandLine.Build((_, context) =>
        {
            seen = context;
            return Task.FromResult(0);
        }).Parse(["serve", "--compatible"]).Invoke();

        Assert.Equal(0, exit);
        Assert.True(seen?.Compatible);
    }
}
