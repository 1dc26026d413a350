using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// A private OpenSSH sshd on 127.0.0.1 and a free port, with fresh ed25519 host and user keys,
/// an authorized_keys and a known_hosts file, all in a temporary directory that
/// <see cref="DisposeAsync"/> deletes after stopping the daemon.
/// </summary>
internal sealed class SshdServer : IAsyncDisposable
{
    private readonly Process _process;

    private SshdServer(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    public string Directory { get; }

    public int Port { get; }

    public string UserName { get; } = Environment.UserName;

    public string UserKey => Path.Combine(Directory, "id_ed25519");

    public string KnownHosts => Path.Combine(Directory, "known_hosts");

    public static async Task<SshdServer> StartAsync()
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("rxssh-bench-").FullName;
        try
        {
            await KeygenAsync(Path.Combine(dir, "host_ed25519"));
            await KeygenAsync(Path.Combine(dir, "id_ed25519"));
            File.Copy(Path.Combine(dir, "id_ed25519.pub"), Path.Combine(dir, "authorized_keys"));
            int port = FreePort();
            string hostPub = (await File.ReadAllTextAsync(Path.Combine(dir, "host_ed25519.pub"))).Trim();
            await File.WriteAllTextAsync(Path.Combine(dir, "known_hosts"), $"[127.0.0.1]:{port} {hostPub}\n");
            string config = Path.Combine(dir, "sshd_config");
            await File.WriteAllLinesAsync(config,
            [
                "ListenAddress 127.0.0.1",
                $"Port {port}",
                $"HostKey {dir}/host_ed25519",
                $"AuthorizedKeysFile {dir}/authorized_keys",
                $"PidFile {dir}/sshd.pid",
                "StrictModes no",
                "UsePAM no",
                "PermitRootLogin yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "MaxStartups 100",
                "LogLevel INFO",
            ]);
            if (Environment.UserName == "root")
            {
                System.IO.Directory.CreateDirectory("/run/sshd");
            }

            var psi = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { "-D", "-e", "-f", config })
            {
                psi.ArgumentList.Add(a);
            }

            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                if (log.Count < 50)
                {
                    log.Enqueue(e.Data);
                }

                if (e.Data.Contains("Server listening", StringComparison.Ordinal))
                {
                    listening.TrySetResult();
                }
            };
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("sshd exited: " + string.Join('\n', log)));
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(20));
            return new SshdServer(dir, port, process);
        }
        catch
        {
            System.IO.Directory.Delete(dir, true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // this PID only: the listener; per-connection children have already exited
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(Directory, true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task KeygenAsync(string path)
    {
        var psi = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", path })
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("ssh-keygen failed: " + err);
        }
    }
}
