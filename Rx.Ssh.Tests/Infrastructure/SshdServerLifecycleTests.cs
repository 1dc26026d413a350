using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>Servers with their own configs: forced algorithms, start-up failures, and shutdown.</summary>
public sealed class SshdServerLifecycleTests
{
    [Fact]
    public async Task Forced_cipher_is_used_and_a_client_without_it_is_refused()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { Ciphers = ["aes128-gcm@openssh.com"] });
        OpenSshClient client = OpenSshClient.For(server);

        ProcessResult agreed = await client.WithOptions("LogLevel=DEBUG1").RunAsync("echo hello");
        ProcessResult refused = await client.WithOptions("Ciphers=chacha20-poly1305@openssh.com").RunAsync("echo hello");

        Assert.True(agreed.ExitCode == 0, agreed + server.Log.Text);
        Assert.Equal("hello\n", agreed.StdoutText);
        Assert.Contains("cipher: aes128-gcm@openssh.com", agreed.Stderr, StringComparison.Ordinal);
        Assert.Equal(255, refused.ExitCode);
        Assert.Contains("no matching cipher found", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(refused.Stdout);
    }

    [Fact]
    public async Task Only_the_configured_host_key_types_are_served()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { HostKeyTypes = [TestKeyType.Ecdsa256] });

        ProcessResult result = await OpenSshClient.For(server).WithOptions("LogLevel=DEBUG1").RunAsync("true");

        Assert.True(result.ExitCode == 0, result + server.Log.Text);
        Assert.Contains("Server host key: ecdsa-sha2-nistp256", result.Stderr, StringComparison.Ordinal);
        Assert.Single(server.HostKeys);
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_removes_its_directory()
    {
        SshdServer server = await SshdServer.StartAsync();
        int port = server.Port;
        string directory = server.Directory;
        using var probe = new TcpClient();
        await probe.ConnectAsync(SshdServer.Host, port).WithTimeout();
        await server.Log.WaitForLineAsync("Connection from 127.0.0.1 port " + ((IPEndPoint)probe.Client.LocalEndPoint!).Port);
        IReadOnlyList<int> connectionProcesses = ProcessTree.DescendantIds(server.ProcessId);

        await server.DisposeAsync().WithTimeout();

        Assert.False(Directory.Exists(directory));
        using var late = new TcpClient();
        SocketException refused = await Assert.ThrowsAsync<SocketException>(
            () => late.ConnectAsync(SshdServer.Host, port).WithTimeout());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.All(connectionProcesses, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there"));
    }

    [Fact]
    public async Task Dispose_ends_sessions_still_running()
    {
        SshdServer server = await SshdServer.StartAsync();
        var stdin = new Pipe(); // never completed: the remote cat runs until the server goes
        var stdout = new Pipe();
        Task<ProcessResult> session = OpenSshClient.For(server).RunAsync("echo started; exec cat", stdin.Reader.AsStream(), stdout.Writer.AsStream());
        ReadResult started = await stdout.Reader.ReadAtLeastAsync("started\n".Length).AsTask().WithTimeout();
        IReadOnlyList<int> sessionProcesses = ProcessTree.DescendantIds(server.ProcessId);

        await server.DisposeAsync().WithTimeout();
        ProcessResult result = await session.WithTimeout();

        Assert.Equal("started\n", System.Text.Encoding.UTF8.GetString(started.Buffer.ToArray()));
        Assert.Equal(255, result.ExitCode);
        if (OperatingSystem.IsLinux())
        {
            // Gone and reaped: not even a zombie is left behind.
            Assert.NotEmpty(sessionProcesses);
            Assert.All(sessionProcesses, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still there"));
        }
    }

    [Fact]
    public async Task A_port_taken_meanwhile_is_retried_with_another()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var ports = new Queue<int>([taken, FreePort()]);

        await using SshdServer server = await SshdServer.StartAsync(null, null, ports.Dequeue);
        ProcessResult result = await OpenSshClient.For(server).RunAsync("echo hello");

        Assert.NotEqual(taken, server.Port);
        Assert.Empty(ports);
        Assert.Equal("hello\n", result.StdoutText);
    }

    [Fact]
    public async Task A_config_sshd_rejects_fails_start_with_its_log()
    {
        var options = new SshdOptions { ExtraLines = ["NoSuchKeyword yes"] };

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => SshdServer.StartAsync(options));

        Assert.Contains("NoSuchKeyword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_records_each_connection()
    {
        await using SshdServer server = await SshdServer.StartAsync();

        ProcessResult result = await OpenSshClient.For(server, TestKeys.Rsa2048).RunAsync("true");

        Assert.Equal(0, result.ExitCode);
        string accepted = await server.Log.WaitForLineAsync("Accepted publickey");
        Assert.Contains("RSA", accepted, StringComparison.Ordinal);
        Assert.Contains(server.Log.Lines, l => l.StartsWith("Server listening on 127.0.0.1 port ", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
