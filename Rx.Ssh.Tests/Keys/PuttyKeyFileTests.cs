using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Formats;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>PuTTY .ppk private keys, versions 2 and 3: what puttygen writes we load, and what we write loads back.</summary>
public sealed class PuttyKeyFileTests
{
    public static TheoryData<string> PuttygenFiles() => new(PuttygenKeys.Files.Keys);

    public static TheoryData<string, int> Variants()
    {
        var data = new TheoryData<string, int>();
        foreach (string keyType in new[] { "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa" })
        {
            data.Add(keyType, 2);
            data.Add(keyType, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PuttygenFiles))]
    public void Parse_WhatPuttygenWrote_IsTheKeySshKeygenMade(string name)
    {
        (string ppk, string publicKey) = PuttygenKeys.Files[name];
        // "key.v2" and "key.v3" are unencrypted; every other variant is encrypted.
        bool plain = name.EndsWith(".v2", StringComparison.Ordinal) || name.EndsWith(".v3", StringComparison.Ordinal);
        string? passphrase = plain ? null : PuttygenKeys.Passphrase;

        using SshPrivateKey key = SshPrivateKey.Parse(ppk, passphrase);

        Assert.Equal(publicKey, key.PublicKey.ToOpenSshString());
        Assert.Equal(name.Split('.')[0] + " from ssh-keygen", key.Comment);
        byte[] signature = key.Sign(key.SignatureAlgorithms[0], "data"u8);
        Assert.True(key.PublicKey.VerifySignature("data"u8, signature));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void ToPuttyPrivateKey_RoundTrips_PlainAndEncrypted(string keyType, int version)
    {
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, keyType == "ssh-rsa" ? 2048 : 0);
        key.Comment = "round trip ключ";
        var options = new PuttyKeyFileOptions { Version = version, Argon2MemoryKiB = 256, Argon2Passes = 2 };

        string plain = key.ToPuttyPrivateKey(null, options);
        string encrypted = key.ToPuttyPrivateKey("pass phrase", options);

        Assert.StartsWith($"PuTTY-User-Key-File-{version}: {keyType}\nEncryption: none\n", plain, StringComparison.Ordinal);
        Assert.StartsWith($"PuTTY-User-Key-File-{version}: {keyType}\nEncryption: aes256-cbc\n", encrypted, StringComparison.Ordinal);
        Assert.Equal(version == 3, encrypted.Contains("Key-Derivation: Argon2id", StringComparison.Ordinal));
        using SshPrivateKey fromPlain = SshPrivateKey.Parse(plain);
        using SshPrivateKey fromEncrypted = SshPrivateKey.Parse(encrypted, "pass phrase");
        Assert.Equal(key.PublicKey, fromPlain.PublicKey);
        Assert.Equal(key.PublicKey, fromEncrypted.PublicKey);
        Assert.Equal("round trip ключ", fromEncrypted.Comment);
        Assert.True(key.PublicKey.VerifySignature("x"u8, fromEncrypted.Sign(key.SignatureAlgorithms[0], "x"u8)));
        Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Parse(encrypted, "wrong"));
    }

    [Theory]
    [InlineData(PuttyKeyDerivation.Argon2id)]
    [InlineData(PuttyKeyDerivation.Argon2i)]
    [InlineData(PuttyKeyDerivation.Argon2d)]
    public void ToPuttyPrivateKey_EveryArgon2Variant_RoundTrips(PuttyKeyDerivation variant)
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        var options = new PuttyKeyFileOptions { KeyDerivation = variant, Argon2MemoryKiB = 64, Argon2Passes = 1, Argon2Parallelism = 2 };

        string text = key.ToPuttyPrivateKey("pw", options);

        Assert.Contains($"Key-Derivation: {variant}\nArgon2-Memory: 64\nArgon2-Passes: 1\nArgon2-Parallelism: 2\nArgon2-Salt: ", text, StringComparison.Ordinal);
        using SshPrivateKey loaded = SshPrivateKey.Parse(text, "pw");
        Assert.Equal(key.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void PuttygenInterop_WhatWeWrite_PuttygenReads()
    {
        // build/test.sh installs puttygen (Debian: putty-tools); the fixed files above cover reading.
        Assert.True(File.Exists("/usr/bin/puttygen"), "puttygen is missing: install putty-tools (build/test.sh does).");

        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("pass"), "pass phrase");
        foreach (string keyType in SshPrivateKey.SupportedKeyTypes)
        {
            using SshPrivateKey key = SshPrivateKey.Generate(keyType, keyType == "ssh-rsa" ? 2048 : 0);
            key.Comment = "ours";
            foreach (int version in new[] { 2, 3 })
            {
                foreach (string? passphrase in new[] { null, "pass phrase" })
                {
                    string path = directory.File($"key-{version}-{passphrase is null}.ppk");
                    key.SavePutty(path, passphrase, new PuttyKeyFileOptions { Version = version, Argon2MemoryKiB = 256, Argon2Passes = 2 });
                    List<string> arguments = [path, "-L"];
                    if (passphrase is not null)
                    {
                        arguments.AddRange(["--old-passphrase", directory.File("pass")]);
                    }

                    string line = OpenSshTool.Run("puttygen", arguments).Stdout.Trim();
                    Assert.Equal(key.PublicKey.ToOpenSshString("ours"), line);
                }
            }
        }
    }

    [Theory]
    [InlineData("ed25519.v2enc")]
    [InlineData("rsa.v3enc")]
    [InlineData("ed25519.v3i")]
    public void Parse_WrongPassphrase_ThrowsPassphraseException(string name)
    {
        var error = Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Parse(PuttygenKeys.Files[name].Ppk, "not it"));

        Assert.Contains("wrong passphrase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EncryptedWithoutPassphrase_SaysOneIsNeeded()
    {
        var error = Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Parse(PuttygenKeys.Files["p256.v3enc"].Ppk));

        Assert.Contains("passphrase is needed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Comment: ed25519 from ssh-keygen", "Comment: ed25519 from someone else")]
    [InlineData("Encryption: none\n", "Encryption: none\n\n")]
    public void Parse_TamperedFile_ThrowsFormatExceptionAboutTheMac(string from, string to)
    {
        string text = PuttygenKeys.Files["ed25519.v3"].Ppk.Replace(from, to, StringComparison.Ordinal);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(text));

        Assert.True(
            error.Message.Contains("Private-MAC does not match", StringComparison.Ordinal) || error.Message.Contains("line 3", StringComparison.Ordinal),
            error.Message);
    }

    [Fact]
    public void Parse_TamperedPrivateData_ThrowsFormatExceptionAboutTheMac()
    {
        string text = PuttygenKeys.Files["p384.v2"].Ppk;
        string[] lines = text.Split('\n');
        int privateLine = Array.FindIndex(lines, l => l.StartsWith("Private-Lines:", StringComparison.Ordinal)) + 1;
        char[] chars = lines[privateLine].ToCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        lines[privateLine] = new string(chars);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(string.Join('\n', lines)));

        Assert.Contains("Private-MAC does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedFile_ThrowsFormatExceptionNamingTheFile()
    {
        using var directory = new TempDirectory();
        string path = directory.File("cut.ppk");
        string text = PuttygenKeys.Files["rsa.v3"].Ppk;
        File.WriteAllText(path, text[..(text.Length / 2)]);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Load(path));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PuTTY-User-Key-File-3", "PuTTY-User-Key-File-1", "version 1 is not supported")]
    [InlineData("PuTTY-User-Key-File-3", "PuTTY-User-Key-File-9", "versions 2 and 3 are supported")]
    [InlineData("Encryption: aes256-cbc", "Encryption: blowfish", "unsupported 'blowfish'")]
    [InlineData("Key-Derivation: Argon2id", "Key-Derivation: scrypt", "unsupported key derivation 'scrypt'")]
    [InlineData("Argon2-Memory: 1024", "Argon2-Memory: 99999999", "Argon2-Memory '99999999' is not a number")]
    [InlineData("Argon2-Passes: 2", "Argon2-Passes: x", "Argon2-Passes 'x' is not a number")]
    [InlineData("Argon2-Salt: ", "Argon2-Salt: zz", "Argon2-Salt is not valid hex")]
    [InlineData("Public-Lines: 2", "Public-Lines: 1", "malformed public key blob")]
    [InlineData("Private-MAC: ", "Private-Mac: ", "should be 'Private-MAC:'")]
    [InlineData("ssh-ed25519\nEncryption", "ecdsa-sha2-nistp256\nEncryption", "says 'ecdsa-sha2-nistp256' but its public key is 'ssh-ed25519'")]
    public void Parse_MalformedHeaders_ThrowFormatExceptionSayingWhat(string from, string to, string expected)
    {
        string text = PuttygenKeys.Files["ed25519.v3enc"].Ppk;
        int at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, from);
        text = text[..at] + to + text[(at + from.Length)..];
        if (to.StartsWith("Argon2-Salt: zz", StringComparison.Ordinal))
        {
            text = text.Replace("zz", "zz ", StringComparison.Ordinal);
        }

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(text, PuttygenKeys.Passphrase));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PrivateBlobThatDoesNotMatchThePublicKey_ThrowsFormatException()
    {
        // A file whose MAC is right but whose private blob belongs to another key.
        using SshPrivateKey one = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey other = SshPrivateKey.Generate("ssh-ed25519");
        string text = other.ToPuttyPrivateKey();
        string[] lines = text.Split('\n');
        string[] oneLines = one.ToPuttyPrivateKey().Split('\n');
        lines[4] = oneLines[4];
        lines[5] = oneLines[5];
        byte[] publicBlob = one.PublicKey.Blob.ToArray();
        byte[] privateBlob = Convert.FromBase64String(lines[7]);
        byte[] mac = PuttyKeyFile.ComputeMac(3, [], "ssh-ed25519", "none", string.Empty, publicBlob, privateBlob);
        lines[8] = "Private-MAC: " + Convert.ToHexStringLower(mac);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(string.Join('\n', lines)));

        Assert.Contains("does not match its public key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V2KeyDerivation_MatchesKnownAnswers()
    {
        // Computed independently: SHA1(00000000 || p) || SHA1(00000001 || p) truncated to 32, and SHA1("putty-private-key-file-mac-key" || p).
        Assert.Equal(
            "6ad70b10ad17156275ce9fb91122b4b8559b5d622fff8e634def25a5c0a63648",
            Convert.ToHexStringLower(PuttyKeyDerivationFunctions.V2CipherKey("correct horse")));
        Assert.Equal("e742797285d9e9d7216a57f65c3d8866b6e67d7b", Convert.ToHexStringLower(PuttyKeyDerivationFunctions.V2MacKey("correct horse")));
    }

    [Theory]
    [InlineData("ed25519.v3enc")]
    [InlineData("ed25519.v3i")]
    [InlineData("ed25519.v3d")]
    public void V3KeyDerivation_MatchesPuttygensAnswers(string name)
    {
        // puttygen (an independent implementation) derived these files' keys; ours must decrypt the
        // private blob to a 32-byte seed string and reproduce its Private-MAC.
        Dictionary<string, string> fields = PuttygenKeys.Files[name].Ppk.Split('\n')
            .Where(l => l.Contains(": ", StringComparison.Ordinal))
            .Select(l => l.Split(": ", 2))
            .ToDictionary(p => p[0], p => p[1]);
        string[] lines = PuttygenKeys.Files[name].Ppk.Split('\n');
        byte[] encrypted = Convert.FromBase64String(lines[Array.FindIndex(lines, l => l.StartsWith("Private-Lines", StringComparison.Ordinal)) + 1]);
        byte[] publicBlob = Convert.FromBase64String(string.Concat(lines[4], lines[5]));

        byte[] keys = PuttyKeyDerivationFunctions.V3Keys(
            PuttygenKeys.Passphrase,
            Enum.Parse<PuttyKeyDerivation>(fields["Key-Derivation"]),
            int.Parse(fields["Argon2-Memory"], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(fields["Argon2-Passes"], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(fields["Argon2-Parallelism"], System.Globalization.CultureInfo.InvariantCulture),
            Convert.FromHexString(fields["Argon2-Salt"]));
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = keys[..32];
        byte[] plain = aes.DecryptCbc(encrypted, keys[32..48], System.Security.Cryptography.PaddingMode.None);
        byte[] mac = PuttyKeyFile.ComputeMac(3, keys[48..], "ssh-ed25519", "aes256-cbc", fields["Comment"], publicBlob, plain);

        Assert.Equal(new byte[] { 0, 0, 0, 32 }, plain[..4]);
        Assert.Equal(fields["Private-MAC"], Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Options_OutOfRange_ThrowArgumentOutOfRange()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");

        Assert.Throws<ArgumentOutOfRangeException>(() => key.ToPuttyPrivateKey("pw", new PuttyKeyFileOptions { Version = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.ToPuttyPrivateKey("pw", new PuttyKeyFileOptions { Argon2Passes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.ToPuttyPrivateKey("pw", new PuttyKeyFileOptions { Argon2MemoryKiB = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.ToPuttyPrivateKey("pw", new PuttyKeyFileOptions { Argon2Parallelism = 0 }));
    }

    [Fact]
    public void ToPuttyPrivateKey_DefaultOptions_AreVersion3Argon2idLikePuttygen()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");

        string text = key.ToPuttyPrivateKey("pw");

        Assert.StartsWith("PuTTY-User-Key-File-3: ssh-ed25519\n", text, StringComparison.Ordinal);
        Assert.Contains("Key-Derivation: Argon2id\nArgon2-Memory: 8192\n", text, StringComparison.Ordinal);
        using SshPrivateKey loaded = SshPrivateKey.Parse(text, "pw");
        Assert.Equal(key.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void Parse_WindowsLineEndings_AreAccepted()
    {
        (string ppk, string publicKey) = PuttygenKeys.Files["p521.v2enc"];

        using SshPrivateKey key = SshPrivateKey.Parse(ppk.ReplaceLineEndings("\r\n") + "\r\n", PuttygenKeys.Passphrase);

        Assert.Equal(publicKey, key.PublicKey.ToOpenSshString());
    }

    [Fact]
    public void PublicKeyParse_WhatPuttygenExportsAsPublic_IsTheKey()
    {
        // puttygen ed25519.v3.ppk -O public
        const string Exported = """
            ---- BEGIN SSH2 PUBLIC KEY ----
            Comment: "ed25519 from ssh-keygen"
            AAAAC3NzaC1lZDI1NTE5AAAAIJGvbrmOUr8a76Nhn3+n86762JRH79yu0XtGocVf
            NQXb
            ---- END SSH2 PUBLIC KEY ----
            """;

        SshPublicKey key = SshPublicKey.Parse(Exported, out string comment);

        Assert.Equal(PuttygenKeys.Files["ed25519.v3"].PublicKey, key.ToOpenSshString());
        Assert.Equal("ed25519 from ssh-keygen", comment);
    }

    [Theory]
    [InlineData(PuttyKeyDerivation.Argon2id, 8, 1)]
    [InlineData(PuttyKeyDerivation.Argon2id, 1024, 2)]
    [InlineData(PuttyKeyDerivation.Argon2i, 64, 3)]
    [InlineData(PuttyKeyDerivation.Argon2i, 100, 4)]
    public void V3KeyDerivation_LibsodiumAndBouncyCastle_Agree(PuttyKeyDerivation variant, int memoryKiB, int passes)
    {
        byte[] salt = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");

        byte[]? native = PuttyKeyDerivationFunctions.TryLibsodium("pässword", variant, memoryKiB, passes, 1, salt);
        byte[] managed = PuttyKeyDerivationFunctions.V3KeysManaged("pässword", variant, memoryKiB, passes, 1, salt);

        Assert.NotNull(native);
        Assert.Equal(Convert.ToHexStringLower(managed), Convert.ToHexStringLower(native));
    }

    [Theory]
    [InlineData(PuttyKeyDerivation.Argon2d, 1, 16)]
    [InlineData(PuttyKeyDerivation.Argon2id, 2, 16)]
    [InlineData(PuttyKeyDerivation.Argon2id, 1, 8)]
    [InlineData(PuttyKeyDerivation.Argon2i, 1, 16)]
    public void V3KeyDerivation_ParametersLibsodiumLacks_FallBackToBouncyCastle(PuttyKeyDerivation variant, int parallelism, int saltLength)
    {
        byte[] salt = new byte[saltLength];
        int passes = variant == PuttyKeyDerivation.Argon2i ? 2 : 1;

        Assert.Null(PuttyKeyDerivationFunctions.TryLibsodium("pw", variant, 64, passes, parallelism, salt));
        Assert.Equal(
            PuttyKeyDerivationFunctions.V3KeysManaged("pw", variant, 64, passes, parallelism, salt),
            PuttyKeyDerivationFunctions.V3Keys("pw", variant, 64, passes, parallelism, salt));
    }
}
