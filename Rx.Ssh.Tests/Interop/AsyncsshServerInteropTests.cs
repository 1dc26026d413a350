using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// The Rx.Ssh client against AsyncSSH 2.10's server (Debian's): what <see cref="PythonServerInteropTests"/>
/// checks (4 MiB through <c>cat</c>); it lists our forwarded agent's keys; its host certificate is trusted through a known CA for
/// its name only; every AsyncSSH key exchange and cipher we share
/// negotiates; SFTP against AsyncSSH's SFTP server (put, stat, mkdir, rename, list, get, a typed
/// "no such file", posix-rename, hardlink, symlink in the order it reads, readlink, realpath, statvfs,
/// remove); SCP of a tree both ways with times kept; a direct TCP channel through it and a remote forward
/// (port 0) back.
/// </summary>
public sealed class AsyncsshServerInteropTests : PythonServerInteropTests
{
    private protected override int CatBytes => 4 << 20;

    private protected override Task<PythonSshServer> StartServerAsync() => PythonSshServer.StartAsyncsshAsync();

    [Theory]
    [InlineData("curve25519-sha256", null)]
    [InlineData("curve25519-sha256@libssh.org", null)]
    [InlineData("ecdh-sha2-nistp256", null)]
    [InlineData("ecdh-sha2-nistp521", null)]
    [InlineData("diffie-hellman-group-exchange-sha256", null)]
    [InlineData("diffie-hellman-group14-sha256", null)]
    [InlineData("diffie-hellman-group16-sha512", null)]
    [InlineData(null, "chacha20-poly1305@openssh.com")]
    [InlineData(null, "aes128-gcm@openssh.com")]
    [InlineData(null, "aes256-gcm@openssh.com")]
    [InlineData(null, "aes128-ctr")]
    [InlineData(null, "aes256-ctr")]
    public async Task Each_shared_key_exchange_and_cipher_negotiates(string? kex, string? cipher)
    {
        SshAlgorithms algorithms = SshAlgorithms.Default;
        algorithms = kex is null ? algorithms : algorithms with { KeyExchange = [kex] };
        algorithms = cipher is null ? algorithms : algorithms with { Ciphers = [cipher] };
        await using SshClientConnection connection = await ConnectAsync(algorithms: algorithms);

        SshCompletedProcess result = await connection.Run("x").WithTimeout(TestTimeout.Long);

        Assert.Equal("asyncssh ran x\n", result.Stdout);
        Assert.Equal(kex ?? connection.KeyExchange, connection.KeyExchange);
        Assert.Equal(cipher ?? connection.Cipher, connection.Cipher);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Our_forwarded_agent_answers_asyncssh()
    {
        await using Agent.OpenSshAgent agent = await Agent.OpenSshAgent.StartAsync();
        await agent.SshAddAsync(TestKeys.Rsa2048.PrivateKeyPath);
        await agent.SshAddAsync(TestKeys.Ecdsa384.PrivateKeyPath);
        await using SshClientConnection connection = await Server.ConnectAsync(
            configure: options => options with { ForwardAgent = true, UseAgent = false, AgentPath = agent.SocketPath });

        SshCompletedProcess result;
        try
        {
            result = await connection.Run("agent").WithTimeout(TestTimeout.Long);
        }
        catch (SshException ex)
        {
            throw new InvalidOperationException(Server + " ended it; its log:\n" + Server.Log.Text, ex);
        }

        // AsyncSSH's server asked the agent over our forwarded channel: both keys, in the agent's order.
        Assert.Equal(
            string.Concat(new[] { TestKeys.Rsa2048, TestKeys.Ecdsa384 }.Select(k => SshPublicKey.Parse(k.PublicKeyLine).GetFingerprint() + "\n")),
            result.Stdout);
        Assert.Equal(0, result.ExitStatus);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("other.example", false)]
    public async Task A_host_certificate_from_asyncssh_is_trusted_through_a_known_ca_for_its_name_only(string principal, bool trusted)
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
        using var directory = new TempDirectory();
        string certificate = directory.File("host-cert.pub");
        await File.WriteAllTextAsync(certificate, new SshCertificateBuilder(SshPublicKey.Parse(TestKeys.Ed25519.PublicKeyLine), SshCertificateType.Host, "asyncssh-host")
        {
            Principals = [principal],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(ca).ToOpenSshString() + "\n");
        string knownHosts = directory.File("known_hosts");
        await File.WriteAllTextAsync(knownHosts, "@cert-authority * " + ca.PublicKey.ToOpenSshString() + "\n");
        await using PythonSshServer certified = await PythonSshServer.StartAsyncsshAsync(certificate);
        Func<SshClientOptions, SshClientOptions> caOnly = options => options with { HostKeyVerifier = new KnownHostsVerifier(knownHosts) };

        if (trusted)
        {
            await using SshClientConnection connection = await certified.ConnectAsync(configure: caOnly);
            Assert.Equal("asyncssh ran x\n", (await connection.Run("x").WithTimeout(TestTimeout.Long)).Stdout);
        }
        else
        {
            InvalidOperationException failed = await Assert.ThrowsAsync<InvalidOperationException>(() => certified.ConnectAsync(configure: caOnly));
            var refused = Assert.IsType<SshHostKeyNotTrustedException>(failed.InnerException);
            Assert.Equal(HostKeyTrustFailure.InvalidCertificate, refused.Failure);
        }
    }

    [Fact]
    public async Task Sftp_works_against_asyncssh_sftp_server()
    {
        await using SshClientConnection connection = await ConnectAsync();
        await using SftpClient sftp = await SftpClient.StartAsync(connection).WithTimeout();
        string local = Path.Combine(Server.SftpRoot, "..", "local.bin");
        byte[] content = RandomNumberGenerator.GetBytes(6_000_000);
        await File.WriteAllBytesAsync(local, content);

        await sftp.PutAsync(local, "/up.bin").WithTimeout(TestTimeout.Long);
        Assert.Equal(content.Length, (long?)(await sftp.StatAsync("/up.bin").WithTimeout()).Size);
        await sftp.MakeDirectoriesAsync("/a/b").WithTimeout();
        await sftp.RenameAsync("/up.bin", "/a/b/moved.bin").WithTimeout();
        var names = new List<string>();
        await foreach (SftpName name in sftp.ListDirectoryAsync("/a/b"))
        {
            names.Add(name.FileName);
        }

        string back = Path.Combine(Server.SftpRoot, "..", "back.bin");
        await sftp.GetAsync("/a/b/moved.bin", back).WithTimeout(TestTimeout.Long);
        SftpException missing = await Assert.ThrowsAsync<SftpException>(() => sftp.StatAsync("/missing")).WithTimeout();
        await sftp.PosixRenameAsync("/a/b/moved.bin", "/a/b/renamed.bin").WithTimeout();
        await sftp.HardlinkAsync("/a/b/renamed.bin", "/a/b/hard.bin").WithTimeout();
        // An absolute target: AsyncSSH 2.10's chrooted READLINK fails on any relative one.
        await sftp.SymlinkAsync("/a/b/soft.bin", "/a/b/renamed.bin").WithTimeout();
        string target = await sftp.ReadLinkAsync("/a/b/soft.bin").WithTimeout();
        string real = await sftp.RealPathAsync("/a/../a/b/./renamed.bin").WithTimeout();
        SftpStatVfs vfs = await sftp.StatVfsAsync("/").WithTimeout();
        string? linkedOnDisk = File.ResolveLinkTarget(Path.Combine(Server.SftpRoot, "a", "b", "soft.bin"), returnFinalTarget: false)?.FullName;
        byte[] hard = await File.ReadAllBytesAsync(Path.Combine(Server.SftpRoot, "a", "b", "hard.bin"));
        await sftp.RemoveTreeAsync("/a").WithTimeout();

        // SYMLINK goes in the draft's order to AsyncSSH (OpenSSH's order would make renamed.bin the link).
        Assert.Equal("/a/b/renamed.bin", target);
        Assert.Equal(Path.GetFullPath(Path.Combine(Server.SftpRoot, "a", "b", "renamed.bin")), linkedOnDisk);
        Assert.Equal("/a/b/renamed.bin", real);
        Assert.Equal(content, hard);
        Assert.True(vfs.BlockSize > 0);

        Assert.Contains("moved.bin", names);
        Assert.Equal(content, await File.ReadAllBytesAsync(back));
        Assert.Equal(SftpStatusCode.NoSuchFile, missing.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Server.SftpRoot));
    }

    [Fact]
    public async Task Scp_copies_a_tree_to_asyncssh_and_back_with_times_kept()
    {
        string work = Directory.CreateDirectory(Path.Combine(Server.SftpRoot, "..", "scp")).FullName;
        ScpTestTree tree = await ScpTestTree.CreateAsync(work, 3_000_000, new DateTime(2021, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        string back = Directory.CreateDirectory(Path.Combine(work, "back")).FullName;
        await using SshClientConnection connection = await ConnectAsync();
        var options = new ScpCopyOptions { Recursive = true, Preserve = true };

        await ScpClient.CopyAsync([tree.Path], (connection, "/"), options).WithTimeout(TestTimeout.Long);
        await ScpClient.CopyAsync([(connection, "/tree")], back, options).WithTimeout(TestTimeout.Long);
        ScpException missing = await Assert.ThrowsAsync<ScpException>(() => ScpClient.CopyAsync([(connection, "/missing")], back)).WithTimeout(TestTimeout.Long);

        await tree.AssertCopyAsync(Path.Combine(Server.SftpRoot, "tree"));
        await tree.AssertCopyAsync(Path.Combine(back, "tree"));

        Assert.Contains("No such file", missing.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_remote_forward_through_asyncssh_reaches_a_local_listener()
    {
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        Task<TcpClient> accepted = destination.AcceptTcpClientAsync();
        await using SshClientConnection connection = await ConnectAsync();
        await using SshRemoteListener forward = await connection.ForwardRemotePortAsync(
            "127.0.0.1", 0, "127.0.0.1", ((IPEndPoint)destination.LocalEndpoint).Port).WithTimeout();
        Assert.InRange(forward.Port, 1, 65535); // AsyncSSH chose the port and replied with it

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, forward.Port).WithTimeout();
        NetworkStream outside = client.GetStream();
        using TcpClient peer = await accepted.WithTimeout();

        await AssertHalfClosedExchangeAsync(outside, () =>
        {
            client.Client.Shutdown(SocketShutdown.Send);
            return Task.CompletedTask;
        }, peer);
    }

    [Fact]
    public async Task A_direct_tcp_channel_reaches_a_local_listener_through_asyncssh()
    {
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        Task<TcpClient> accepted = destination.AcceptTcpClientAsync();
        await using SshClientConnection connection = await ConnectAsync();

        await using SshChannelStream channel = await connection.OpenDirectTcpAsync("127.0.0.1", ((IPEndPoint)destination.LocalEndpoint).Port).WithTimeout();
        using TcpClient peer = await accepted.WithTimeout();

        await AssertHalfClosedExchangeAsync(channel, () => channel.CompleteWritingAsync().AsTask(), peer);
    }

    /// <summary>
    /// Our side writes and half-closes; the destination <paramref name="peer"/> reads to EOF, answers
    /// and half-closes; our side reads the answer to EOF. Both texts arrive whole, as TCP would do it.
    /// </summary>
    private static async Task AssertHalfClosedExchangeAsync(Stream ours, Func<Task> halfClose, TcpClient peer)
    {
        await ours.WriteAsync(Encoding.ASCII.GetBytes("there through asyncssh"));
        await halfClose();
        using var received = new MemoryStream();
        await peer.GetStream().CopyToAsync(received).WithTimeout();
        await peer.GetStream().WriteAsync(Encoding.ASCII.GetBytes("and back"));
        peer.Client.Shutdown(SocketShutdown.Send);
        using var reply = new MemoryStream();
        await ours.CopyToAsync(reply).WithTimeout();

        Assert.Equal("there through asyncssh", Encoding.ASCII.GetString(received.ToArray()));
        Assert.Equal("and back", Encoding.ASCII.GetString(reply.ToArray()));
    }
}
