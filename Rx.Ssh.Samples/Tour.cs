using System.Diagnostics;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Samples;

/// <summary>
/// The self-contained tour (samples.md): keys in a temporary directory, a server on a free
/// loopback port, every client sample run against it, each one's output printed under its name.
/// </summary>
/// <remarks>
/// Until the embedded Rx.Ssh server lands (issue 3) the tour's server is a private OpenSSH sshd
/// started with its own configuration; the keys it uses are generated and written by Rx.Ssh.
/// </remarks>
internal static class Tour
{
    private const string Sshd = "/usr/sbin/sshd";

    /// <summary>Each client sample and what its output must contain: `ls abc` fails, so the error is expected.</summary>
    private static readonly (string Name, int ExitCode, string[] MustContain)[] Expectations =
    [
        ("simple_client", 1, ["abc", "status 2"]),
        ("check_exit_status", 0, ["abc", "Program exited with status 2"]),
        ("callback_client", 0, ["Connection made", "abc", "Session closed."]),
        ("callback_client2", 0, ["abc"]),
        ("callback_client3", 0, ["abc"]),
    ];

    public static async Task<int> RunAsync(SampleContext context)
    {
        if (!File.Exists(Sshd))
        {
            await context.Error.WriteLineAsync($"The tour needs OpenSSH's server at {Sshd} until the embedded Rx.Ssh server lands; install openssh-server.");
            return 1;
        }

        string dir = Directory.CreateTempSubdirectory("rxssh-tour-").FullName;
        Process? sshd = null;
        try
        {
            using SshPrivateKey hostKey = SshPrivateKey.Generate("ssh-ed25519");
            using SshPrivateKey userKey = SshPrivateKey.Generate("ssh-ed25519");
            hostKey.Save(Path.Combine(dir, "ssh_host_key"));
            userKey.Save(Path.Combine(dir, "id_ed25519"));
            await File.WriteAllTextAsync(Path.Combine(dir, "authorized_keys"), userKey.PublicKey.ToOpenSshString("tour") + "\n");
            (sshd, int port) = await StartSshdAsync(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "known_hosts"), KnownHostsFile.FormatEntry("127.0.0.1", port, hostKey.PublicKey, hashed: true) + "\n");
            await context.Out.WriteLineAsync($"Tour server: 127.0.0.1 port {port}, host key {hostKey.PublicKey.GetFingerprint()}");

            int failures = 0;
            foreach ((string name, int exitCode, string[] mustContain) in Expectations)
            {
                var output = new StringWriter();
                SampleContext sampleContext = context with
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Keys = [Path.Combine(dir, "id_ed25519")],
                    KnownHosts = Path.Combine(dir, "known_hosts"),
                    Out = output,
                    Error = output,
                };
                int code = await SampleCatalog.Find(name)!.RunAsync(sampleContext);
                string text = output.ToString();
                bool ok = code == exitCode && mustContain.All(m => text.Contains(m, StringComparison.Ordinal));
                failures += ok ? 0 : 1;
                await context.Out.WriteLineAsync($"== {name} ({(ok ? "ok" : $"FAILED, exit code {code}")})");
                await context.Out.WriteAsync(text);
            }

            await context.Out.WriteLineAsync(failures == 0 ? "Tour finished: every sample did what it should." : $"Tour finished: {failures} sample(s) failed.");
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            if (sshd is not null)
            {
                sshd.Kill(entireProcessTree: true);
                await sshd.WaitForExitAsync();
                sshd.Dispose();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(Process Process, int Port)> StartSshdAsync(string dir)
    {
        int port = FreePort();
        string config = Path.Combine(dir, "sshd_config");
        await File.WriteAllLinesAsync(config,
        [
            "ListenAddress 127.0.0.1",
            $"Port {port}",
            $"HostKey {Path.Combine(dir, "ssh_host_key")}",
            $"AuthorizedKeysFile {Path.Combine(dir, "authorized_keys")}",
            $"PidFile {Path.Combine(dir, "sshd.pid")}",
            "StrictModes no",
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "AcceptEnv LANG LC_*",
        ]);
        if (Environment.UserName == "root")
        {
            Directory.CreateDirectory("/run/sshd");
        }

        var start = new ProcessStartInfo(Sshd, ["-D", "-e", "-f", config]) { RedirectStandardError = true, UseShellExecute = false };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains("Server listening", StringComparison.Ordinal))
            {
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return (process, port);
            }
        }

        throw new InvalidOperationException("sshd exited before listening.");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
