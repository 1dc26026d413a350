using System.Text;
using Rx.Ssh.Keys.Formats;

namespace Rx.Ssh.Tests.Keys;

public class BcryptPbkdfTests
{
    // Vectors from OpenBSD's bcrypt_pbkdf regression tests (as republished by several ports).
    [Theory]
    [InlineData("password", "salt", 4, "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9")]
    [InlineData("password", "\0", 4, "c12b566235eee04c212598970a579a67")]
    [InlineData("\0", "salt", 4, "6051be18c2f4f82cbf0efee5471b4bb9")]
    [InlineData("password\0", "salt\0", 4, "7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050")]
    public void DeriveKey_MatchesPublishedVectors(string password, string salt, int rounds, string expectedHex)
    {
        byte[] output = new byte[expectedHex.Length / 2];

        BcryptPbkdf.DeriveKey(Encoding.ASCII.GetBytes(password), Encoding.ASCII.GetBytes(salt), rounds, output);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(output));
    }

    [Fact]
    public void DeriveKey_RejectsZeroRounds()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BcryptPbkdf.DeriveKey("p"u8, "s"u8, 0, new byte[16]));
    }

    [Fact]
    public void DeriveKey_OpenSshWriteParameters_TakesUnderTwoSeconds()
    {
        // 16 rounds, 48 bytes (aes256-ctr key + IV): what every key we save with a passphrase costs.
        byte[] output = new byte[48];
        var clock = System.Diagnostics.Stopwatch.StartNew();

        BcryptPbkdf.DeriveKey("passphrase"u8, new byte[16], 16, output);

        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"bcrypt_pbkdf took {clock.Elapsed}");
        Assert.Contains(output, b => b != 0);
    }
}
