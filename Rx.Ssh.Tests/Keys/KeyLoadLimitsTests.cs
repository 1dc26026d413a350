using System.Security.Cryptography;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>
/// Key files choose their own key derivation cost; over <see cref="SshKeyLoadLimits"/> they are
/// refused before anything is derived, and the long derivations can be cancelled.
/// </summary>
public sealed class KeyLoadLimitsTests
{
    private const string Pw = HostileKeyFiles.Passphrase;

    /// <summary>Parses on another thread, so a regression (hours of derivation) fails the test instead of hanging it.</summary>
    private static Task<SshPrivateKey> ParseAsync(string text, SshKeyLoadLimits? limits = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => SshPrivateKey.Parse(text, Pw, limits, cancellationToken)).WaitAsync(TestTimeout.Default);

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        SshKeyLoadLimits limits = SshKeyLoadLimits.Default;

        Assert.Equal(1024, limits.MaxBcryptRounds);
        Assert.Equal(256 * 1024, limits.MaxArgon2MemoryKiB);
        Assert.Equal(64, limits.MaxArgon2Passes);
        Assert.Equal(1_000_000, limits.MaxPbkdf2Iterations);
        Assert.Equal(256 * 1024, limits.MaxScryptMemoryKiB);
        Assert.Equal(SshKeyLoadLimits.Default, new SshClientOptions().KeyLoadLimits);
    }

    [Fact]
    public async Task Bcrypt_rounds_over_the_limit_are_refused_before_derivation()
    {
        var error = await Assert.ThrowsAsync<SshKeyLimitException>(() => ParseAsync(HostileKeyFiles.OpenSshWithRounds(1 << 20)));

        Assert.Equal("bcrypt rounds", error.Parameter);
        Assert.Equal(1 << 20, error.Value);
        Assert.Equal(1024, error.Limit);
        Assert.Contains("MaxBcryptRounds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bcrypt_limit_can_be_lowered_and_the_file_is_named()
    {
        string path = Path.Combine(Path.GetTempPath(), "rxssh-limit-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, HostileKeyFiles.OpenSshWithRounds(16));
        try
        {
            using (SshPrivateKey key = SshPrivateKey.Load(path, Pw))
            {
                Assert.Equal("ssh-ed25519", key.KeyType);
            }

            var error = Assert.Throws<SshKeyLimitException>(() => SshPrivateKey.Load(path, Pw, new SshKeyLoadLimits { MaxBcryptRounds = 8 }));
            Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
            Assert.Equal(16, error.Value);
            Assert.Equal(8, error.Limit);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("Argon2-Memory: 8192", "Argon2-Memory: 2097152", "KiB of Argon2 memory")]
    [InlineData("Argon2-Passes: 13", "Argon2-Passes: 1000", "Argon2 passes")]
    public async Task Argon2_parameters_over_the_limit_are_refused_before_derivation(string written, string hostile, string parameter)
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string ppk = key.ToPuttyPrivateKey(Pw);
        Assert.Contains(written, ppk, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<SshKeyLimitException>(() => ParseAsync(ppk.Replace(written, hostile, StringComparison.Ordinal)));

        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public async Task Argon2_limits_can_be_lowered()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string ppk = key.ToPuttyPrivateKey(Pw); // 8192 KiB, 13 passes

        await Assert.ThrowsAsync<SshKeyLimitException>(() => ParseAsync(ppk, new SshKeyLoadLimits { MaxArgon2MemoryKiB = 4096 }));
        await Assert.ThrowsAsync<SshKeyLimitException>(() => ParseAsync(ppk, new SshKeyLoadLimits { MaxArgon2Passes = 8 }));
        using SshPrivateKey read = await ParseAsync(ppk);
        Assert.Equal(key.PublicKey, read.PublicKey);
    }

    [Fact]
    public async Task Pbkdf2_iterations_over_the_limit_are_refused_before_derivation()
    {
        var error = await Assert.ThrowsAsync<SshKeyLimitException>(() => ParseAsync(HostileKeyFiles.Pkcs8WithPbkdf2(2_000_000_000)));

        Assert.Equal("PBKDF2 iterations", error.Parameter);
        Assert.Equal(1_000_000, error.Limit);
    }

    [Fact]
    public async Task Pbkdf2_limit_applies_to_a_real_pkcs8_key()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string pem = ecdsa.ExportEncryptedPkcs8PrivateKeyPem(Pw, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048));

        using (SshPrivateKey key = await ParseAsync(pem))
        {
            Assert.Equal("ecdsa-sha2-nistp256", key.KeyType);
        }

        var error = await Assert.ThrowsAsync<SshKeyLimitException>(() => ParseAsync(pem, new SshKeyLoadLimits { MaxPbkdf2Iterations = 1000 }));
        Assert.Equal(2048, error.Value);
    }

    [Theory]
    [InlineData(1L << 20, 8, 1, "KiB of scrypt memory")] // 1 GiB
    [InlineData(1L << 40, 1, 1, "KiB of scrypt memory")]
    [InlineData(16384, 8, 64, "scrypt parallel passes")]
    public async Task Scrypt_parameters_over_the_limit_are_refused_before_derivation(long n, long r, long p, string parameter)
    {
        var error = await Assert.ThrowsAsync<SshKeyLimitException>(() => ParseAsync(HostileKeyFiles.Pkcs8WithScrypt(n, r, p)));

        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public async Task Scrypt_within_the_limits_goes_on_to_decryption()
    {
        // Random ciphertext: within the limits the file gets as far as the passphrase check.
        await Assert.ThrowsAsync<SshKeyPassphraseException>(() => ParseAsync(HostileKeyFiles.Pkcs8WithScrypt(16384, 8, 1)));
    }

    [Fact]
    public void Cancelled_token_stops_the_load_before_it_starts()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => SshPrivateKey.Parse(HostileKeyFiles.OpenSshWithRounds(16), Pw, null, cts.Token));
    }

    [Fact]
    public async Task Cancellation_stops_bcrypt_mid_derivation()
    {
        // Allowed, but hours of work: only the token can end it.
        string text = HostileKeyFiles.OpenSshWithRounds(1 << 20);
        var generous = new SshKeyLoadLimits { MaxBcryptRounds = 1 << 20 };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ParseAsync(text, generous, cts.Token));
    }
}
