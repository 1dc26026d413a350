using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A private OpenSSH sshd on 127.0.0.1 and a free port, with the host key and authorized_keys of
/// <see cref="BenchKeys"/> and its config in a subdirectory of theirs.
/// </summary>
internal sealed class SshdServer : IServerUnderTest
{
    private readonly ServerProcess _process;

    private SshdServer(string name, BenchKeys keys, int port, ServerProcess process)
    {
        Name = name;
        Keys = keys;
        Port = port;
        _process = process;
    }

    public string Name { get; }

    public BenchKeys Keys { get; }

    public int Port { get; }

    public int ProcessId => _process.ProcessId;

    public static async Task<SshdServer> StartAsync(BenchKeys keys, string name = "sshd")
    {
        int port = FreePort();
        string dir = keys.CreateSubdirectory($"sshd-{port}");
        string config = Path.Combine(dir, "sshd_config");
        await File.WriteAllLinesAsync(config,
        [
            "ListenAddress 127.0.0.1",
            $"Port {port}",
            $"HostKey {keys.HostKey}",
            $"AuthorizedKeysFile {keys.AuthorizedKeys}",
            $"PidFile {dir}/sshd.pid",
            "StrictModes no",
            "UsePAM no",
            "PermitRootLogin yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "MaxStartups 100",
            "LogLevel INFO",
            "Subsystem sftp /usr/lib/openssh/sftp-server", // OpenSSH's own server process (--sftp), not internal-sftp
        ]);
        if (Environment.UserName == "root")
        {
            Directory.CreateDirectory("/run/sshd");
        }

        var psi = new ProcessStartInfo("/usr/sbin/sshd");
        foreach (string a in new[] { "-D", "-e", "-f", config })
        {
            psi.ArgumentList.Add(a);
        }

        ServerProcess process = await ServerProcess.StartAsync(psi, line => line.Contains("Server listening", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        keys.Trust(port);
        return new SshdServer(name, keys, port, process);
    }

    /// <summary>Stops the listener (its PID only: per-connection children have already exited).</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
