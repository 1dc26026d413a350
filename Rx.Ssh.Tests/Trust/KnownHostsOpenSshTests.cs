using Rx.Ssh.Trust;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Trust;

/// <summary>Interoperation with OpenSSH's own known_hosts handling (<c>ssh-keygen -H</c>, <c>-F</c>).</summary>
public sealed class KnownHostsOpenSshTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RecognisesEntriesHashedBySshKeygen()
    {
        (string type, byte[] blob) = TrustTestKeys.GenerateEd25519(_temp.Path, "host1");
        (_, byte[] other) = TrustTestKeys.GenerateEd25519(_temp.Path, "host2");
        string path = _temp.File("known_hosts");
        string line = type + " " + Convert.ToBase64String(blob);
        File.WriteAllText(path, $"server.example.com,192.0.2.5 {line}\n[server.example.com]:2222 {line}\n");

        (int code, _) = TrustTestKeys.Run("ssh-keygen", "-H", "-f", path);
        Assert.Equal(0, code);

        KnownHostsFile file = KnownHostsFile.Load(path);
        Assert.Empty(file.Warnings);
        Assert.Equal(3, file.Entries.Count); // the comma list is split into one hashed line per name
        Assert.All(file.Entries, e => Assert.True(e.IsHashed));
        Assert.Equal(HostKeyStatus.Trusted, file.Check("server.example.com", 22, type, blob).Status);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("Server.Example.COM", 22, type, blob).Status);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("192.0.2.5", 22, type, blob).Status);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("server.example.com", 2222, type, blob).Status);
        Assert.Equal(HostKeyStatus.Unknown, file.Check("server.example.com", 2200, type, blob).Status);
        Assert.Equal(HostKeyStatus.Changed, file.Check("server.example.com", 22, type, other).Status);
    }

    [Theory]
    [InlineData("server.example.com", 22, true)]
    [InlineData("server.example.com", 2222, true)]
    [InlineData("10.1.2.3", 22, false)]
    [InlineData("server.example.com", 2222, false)]
    public async Task SshKeygenFindsOurEntries(string host, int port, bool hashed)
    {
        (string type, byte[] blob) = TrustTestKeys.GenerateEd25519(_temp.Path, "key");
        string path = _temp.File("known_hosts");
        await KnownHostsFile.AppendAsync(path, "decoy.example.com", 22, type, TrustTestKeys.Ed25519(7), hashed);
        await KnownHostsFile.AppendAsync(path, host, port, type, blob, hashed);

        string query = port == 22 ? host : $"[{host}]:{port}";
        (int code, string output) = TrustTestKeys.Run("ssh-keygen", "-F", query, "-f", path);
        Assert.Equal(0, code);
        Assert.Contains(Convert.ToBase64String(blob), output, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(TrustTestKeys.Ed25519(7)), output, StringComparison.Ordinal);

        (int missing, _) = TrustTestKeys.Run("ssh-keygen", "-F", "absent.example.com", "-f", path);
        Assert.NotEqual(0, missing);
    }

    [Fact]
    public void SshKeygenRemovesOurHashedEntry()
    {
        (string type, byte[] blob) = TrustTestKeys.GenerateEd25519(_temp.Path, "key");
        string path = _temp.File("known_hosts");
        File.WriteAllText(path, KnownHostsFile.FormatEntry("gone.example.com", 2022, type, blob, hashed: true) + "\n"
            + KnownHostsFile.FormatEntry("kept.example.com", 22, type, blob, hashed: true) + "\n");

        (int code, _) = TrustTestKeys.Run("ssh-keygen", "-R", "[gone.example.com]:2022", "-f", path);
        Assert.Equal(0, code);

        KnownHostsFile file = KnownHostsFile.Load(path);
        Assert.Equal(HostKeyStatus.Unknown, file.Check("gone.example.com", 2022, type, blob).Status);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("kept.example.com", 22, type, blob).Status);
    }
}
