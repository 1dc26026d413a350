using System.Net;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Config;
using Rx.Ssh.Fuzz.Engine;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Formats;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Scp.Protocol;
using Rx.Ssh.Sftp.Scp.Server;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>The text formats: key files, public keys, certificates, trust files, ssh_config, moduli, SCP lines, host and path forms.</summary>
internal static class TextTargets
{
    // Tight limits: a mutated key must not buy seconds of key derivation (the limits are what is under test).
    private static readonly SshKeyLoadLimits Limits = new()
    {
        MaxBcryptRounds = 2,
        MaxArgon2MemoryKiB = 256,
        MaxArgon2Passes = 2,
        MaxPbkdf2Iterations = 16,
        MaxScryptMemoryKiB = 256,
        MaxScryptParallelism = 1,
    };

    private static readonly Lazy<string> EmptyDirectory = new(() => Directory.CreateTempSubdirectory("rxssh-fuzz-").FullName);

    private static bool TrustError(Exception e) => e is SshException or SshTrustFileException;

    // The SCP parsers' own error, which the server and client turn into a \x02 reply or an ScpException.
    private static bool ScpError(Exception e) => e is ScpProtocolException or SshException;

    public static IEnumerable<FuzzTarget> All()
    {
        yield return new DelegateTarget(
            "private-key",
            () => KeySeeds.PrivateKeyTexts().Select(Encoding.UTF8.GetBytes),
            input => SshPrivateKey.Parse(Encoding.UTF8.GetString(input), KeySeeds.Passphrase, Limits),
            Tokens("-----BEGIN ", "-----END ", "PRIVATE KEY-----", "openssh-key-v1", "bcrypt", "aes256-ctr", "Proc-Type: 4,ENCRYPTED\n", "DEK-Info: AES-128-CBC,", "Key-Derivation: Argon2id\n", "Argon2-Memory: ", "Private-Lines: ", "\n"));
        yield return new DelegateTarget(
            "public-key",
            () => KeySeeds.PublicKeyLines().Concat(KeySeeds.Keys.Select(k => k.PublicKey.ToRfc4716String("fuzz"))).Select(Encoding.UTF8.GetBytes),
            input =>
            {
                string text = Encoding.UTF8.GetString(input);
                _ = Rfc4716PublicKey.LooksLikeRfc4716(text) ? Rfc4716PublicKey.Read(text, out _, out _) : SshPublicKey.Parse(text);
            },
            Tokens("---- BEGIN SSH2 PUBLIC KEY ----", "---- END SSH2 PUBLIC KEY ----", "Comment: ", "\\\n", "ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-nistp256 "));
        yield return new DelegateTarget(
            "certificate",
            () => KeySeeds.CertificateLines().Select(Encoding.UTF8.GetBytes),
            input =>
            {
                SshCertificate certificate = SshCertificate.Parse(Encoding.UTF8.GetString(input));
                certificate.VerifyCaSignature();
                certificate.Validate(certificate.Type, DateTimeOffset.UtcNow, "alice");
                certificate.ValidateSourceAddress(IPAddress.Loopback);
            });
        yield return new DelegateTarget(
            "known-hosts",
            KnownHostsSeeds,
            input =>
            {
                KnownHostsFile file = KnownHostsFile.Parse(Encoding.UTF8.GetString(input), "known_hosts");
                file.Check("localhost", 22, KeySeeds.Keys[0].PublicKey, IPAddress.Loopback);
                file.Check("host.example", 2222, KeySeeds.Keys[4].PublicKey);
                file.CertificateAuthorities("localhost", 22, IPAddress.Loopback);
                file.KeyTypes("localhost", 22);
            },
            Tokens("@cert-authority ", "@revoked ", "|1|", "[", "]:", "*", "?", "!", ",", " "),
            TrustError);
        yield return new DelegateTarget(
            "authorized-keys",
            AuthorizedKeysSeeds,
            input =>
            {
                AuthorizedKeysFile file = AuthorizedKeysFile.Parse(Encoding.UTF8.GetString(input), "authorized_keys");
                foreach (SshPrivateKey key in KeySeeds.Keys)
                {
                    file.Find(key.PublicKey);
                }
            },
            Tokens("command=\"", "from=\"", "permitopen=\"", "permitlisten=\"", "principals=\"", "expiry-time=\"", "environment=\"", "cert-authority", "no-pty", "restrict", "\\\"", ","),
            TrustError);
        yield return new DelegateTarget(
            "ssh-config",
            () => [.. ConfigSeeds().Select(Encoding.UTF8.GetBytes)],
            input =>
            {
                SshConfig config = SshConfig.Parse(Encoding.UTF8.GetString(input), "config", EmptyDirectory.Value);
                config.Resolve("fuzzhost", new SshConfigResolveOptions
                {
                    // Never run a command or read the real environment: a mutated config is hostile.
                    Exec = _ => false,
                    Environment = name => name == "HOME" ? EmptyDirectory.Value : null,
                    HomeDirectory = EmptyDirectory.Value,
                    LocalUser = "fuzz",
                });
            },
            Tokens("Host ", "Match ", "Include ", "exec ", "final", "all", "canonical", "originalhost ", "!", "*", "%h", "%p", "%r", "%%", "%d", "${HOME}", "${", "\"", "=", "\n", "ProxyJump ", "Port ", "+", "-", "^"));
        yield return new DelegateTarget(
            "moduli",
            () => [Corpus.Read("moduli.txt")],
            input => ModuliFile.Parse(new StringReader(Encoding.UTF8.GetString(input))));
        yield return new DelegateTarget(
            "scp-control-line",
            () => [.. new[] { "C0644 12 file.txt", "D0755 0 dir", "E", "T1700000000 0 1700000001 0", "\u0001warning", "\u0002error" }.Select(Encoding.UTF8.GetBytes)],
            input => ScpControlLine.Parse(Encoding.UTF8.GetString(input)),
            expected: ScpError);
        yield return new DelegateTarget(
            "scp-command",
            () => [.. new[] { "scp -t -r -p -d /tmp", "scp -f 'a b' c*", "scp -v -f -- -odd \"q\\\"uoted\"" }.Select(Encoding.UTF8.GetBytes)],
            input => ScpCommand.Parse(Encoding.UTF8.GetString(input)),
            Tokens(" -t", " -f", " -r", " -p", " -d", " --", "'", "\"", "\\"),
            ScpError);
        yield return new DelegateTarget(
            "host-and-path",
            () => [.. new[] { "user@host.example:2222", "[::1]:22", "host", "alice@[fe80::1%eth0]", "user@host:path/to/file", "host:", "[::1]:/tmp/x" }.Select(Encoding.UTF8.GetBytes)],
            input =>
            {
                string text = Encoding.UTF8.GetString(input);
                Swallow<ArgumentException>(() => SshHost.Parse(text));
                Swallow<ArgumentException>(() => ScpPath.Parse(text));
            });
    }

    /// <summary>These two parse strings given by the program (documented ArgumentException/FormatException), not by a peer: only other exceptions count.</summary>
    private static void Swallow<TDocumented>(Action parse)
        where TDocumented : Exception
    {
        try
        {
            parse();
        }
        catch (TDocumented)
        {
        }
        catch (FormatException)
        {
        }
    }

    private static IReadOnlyList<byte[]> Tokens(params string[] tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];

    private static IEnumerable<byte[]> KnownHostsSeeds()
    {
        string[] keys = [.. KeySeeds.Keys.Select(k => k.PublicKey.ToOpenSshString())];
        byte[] salt = RandomNumberGenerator.GetBytes(20);
        string hashed = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, "localhost"u8))}";
        string file = string.Join('\n',
            "# comment",
            $"localhost,127.0.0.1 {keys[0]}",
            $"[host.example]:2222 {keys[4]}",
            $"{hashed} {keys[1]}",
            $"@cert-authority *.example,!bad.example {keys[2]}",
            $"@revoked * {keys[3]}",
            $"host?.example,*.test {keys[0]} comment");
        return [Encoding.UTF8.GetBytes(file)];
    }

    private static IEnumerable<byte[]> AuthorizedKeysSeeds()
    {
        string[] keys = [.. KeySeeds.Keys.Select(k => k.PublicKey.ToOpenSshString("c"))];
        string file = string.Join('\n',
            keys[0],
            $"command=\"echo hi\",no-pty,from=\"127.0.0.1,!10.*\" {keys[1]}",
            $"cert-authority,principals=\"alice,bob\" {keys[2]}",
            $"restrict,permitopen=\"localhost:80\",permitlisten=\"8080\",expiry-time=\"20300101\" {keys[3]}",
            $"environment=\"A=b\",agent-forwarding {keys[4]}");
        return [Encoding.UTF8.GetBytes(file)];
    }

    private static IEnumerable<string> ConfigSeeds()
    {
        yield return """
            # a typical user config
            Host fuzzhost alias
                HostName %h.example.com
                Port 2222
                User alice
                IdentityFile ~/.ssh/id_%r_%h
                ProxyJump bastion@jump.example:22,jump2
                Ciphers +aes128-cbc
                KexAlgorithms -diffie-hellman-group14-sha1
                HostKeyAlgorithms ^ssh-ed25519
                SendEnv LANG LC_*
                SetEnv A=b "C=d e"
                LocalForward 8080 localhost:80
                RemoteForward [::1]:9000 /tmp/sock
                DynamicForward 1080
                StrictHostKeyChecking accept-new
                ServerAliveInterval 15
                RekeyLimit 1G 1h
            Match host *.example,!bad.example user alice
                ForwardAgent yes
            Match originalhost fuzz* exec "test -f x" localuser fuzz
                Compression yes
            Match final all
                ConnectTimeout 10
            Host *
                IdentitiesOnly=yes
                UserKnownHostsFile ~/.ssh/known_hosts ${HOME}/.ssh/known_hosts2
            """;
        yield return "Include ~/.ssh/config.d/* other.conf\nHost \"quoted name\" !neg\n  Port=22\n";
    }
}
