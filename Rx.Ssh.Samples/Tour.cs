using Rx.Ssh.Samples.Serve;

namespace Rx.Ssh.Samples;

/// <summary>
/// The self-contained tour (samples.md): keys in a temporary directory, the embedded Rx.Ssh
/// server (serve's, shell commands running on this machine) on a free loopback port, every client
/// sample run against it, each one's output printed under its name. The forwarding clients lead to
/// small TCP services the tour starts itself (<see cref="TourForwarding"/>): the tour uses each
/// forward while the sample runs, checks what comes back, then disconnects it so the sample exits.
/// </summary>
internal static class Tour
{
    /// <summary>
    /// Each client sample the tour runs, the exit code it must return and text its output must
    /// contain (stdout and stderr together, plus the file it writes, if any). <c>ls abc</c> fails
    /// on purpose (there is no <c>abc</c> in the home directory), so its error is expected.
    /// Add a row when a client sample lands.
    /// </summary>
    private static readonly (string Name, int ExitCode, string[] MustContain)[] Expectations =
    [
        ("simple_client", 1, ["abc", "Process exited with status 2"]),
        ("check_exit_status", 0, ["abc", "Program exited with status 2"]),
        ("callback_client", 0, ["Connection made to 127.0.0.1.\nAuthentication successful.\n", "abc"]),
        ("callback_client2", 0, ["abc"]),
        ("callback_client3", 0, ["abc"]),

        // Composition and interaction. gather_results gets a host with a closed port on purpose.
        ("math_client", 0, ["2+2 = 4\n1*2*3*4 = 24\n2^32 = 4294967296\n"]),
        ("gather_results", 0, ["Task 1 to host ", "Task 2 to host ", "Task 3 to host ", " failed: ", new string('-', 75)]),
        ("set_environment", 0, ["LANG=en_GB", "LC_COLLATE=C"]),
        ("set_terminal", 0, ["xterm-color", "24 80"]),

        // Redirection.
        ("redirect_input", 0, ["stdout holds:\n3\n2\n1\n"]),
        ("redirect_local_pipe", 0, ["3\n2\n1\n"]),
        ("redirect_remote_pipe", 0, ["3\n2\n1\n"]),

        // SFTP: the embedded server serves the tour's directory as /, example.txt in it.
        ("sftp_client", 0, ["holds:\n" + ExampleText]),

        // SCP (the rcp protocol, serve's scp -f) from the same root, into the same subdirectory.
        ("scp_client", 0, ["holds:\n" + ExampleText]),
    ];

    private const string ExampleText = "Hello from the tour's SFTP server.\n";

    public static async Task<int> RunAsync(SampleContext context)
    {
        string dir = Directory.CreateTempSubdirectory("rxssh-tour-").FullName;
        try
        {
            using SshPrivateKey hostKey = SshPrivateKey.Generate("ssh-ed25519");
            using SshPrivateKey userKey = SshPrivateKey.Generate("ssh-ed25519");
            string userKeyPath = Path.Combine(dir, "id_ed25519");
            userKey.Save(userKeyPath);
            await File.WriteAllTextAsync(Path.Combine(dir, "example.txt"), ExampleText);
            string downloads = Directory.CreateDirectory(Path.Combine(dir, "downloads")).FullName;
            var settings = new ServeSettings
            {
                Port = 0,
                HostKeys = [hostKey],
                AuthorizedKeys = AuthorizedKeysFile.Parse(userKey.PublicKey.ToOpenSshString("tour") + "\n"),
                Root = dir,
            };
            await using SshListener server = await ServeServer.StartAsync(settings);
            try
            {
                string knownHosts = Path.Combine(dir, "known_hosts");
                await File.WriteAllTextAsync(knownHosts, KnownHostsFile.FormatEntry("127.0.0.1", server.Port, hostKey.PublicKey, hashed: true) + "\n"
                    + KnownHostsFile.FormatEntry("localhost", server.Port, hostKey.PublicKey, hashed: true) + "\n");
                await context.Out.WriteLineAsync($"Tour server (embedded Rx.Ssh): 127.0.0.1 port {server.Port}, host key {hostKey.PublicKey.GetFingerprint()}");
                SampleContext clientContext = context with
                {
                    Host = "127.0.0.1",
                    Port = server.Port,
                    Keys = [userKeyPath],
                    KnownHosts = knownHosts,
                    AllHosts = [$"127.0.0.1:{server.Port}", $"localhost:{server.Port}", $"127.0.0.1:{ClosedPort()}"],
                    Output = Path.Combine(dir, "stdout"),

                    // sftp_client downloads into the "local current directory".
                    WorkingDirectory = downloads,
                };
                int failures = 0;
                foreach ((string name, int exitCode, string[] mustContain) in Expectations)
                {
                    failures += await RunSampleAsync(context.Out, clientContext, name, exitCode, mustContain) ? 0 : 1;
                }

                await using (var forwarding = new TourForwarding())
                {
                    // Forwards listen on loopback only, and lead to the tour's own services.
                    SampleContext forwardContext = clientContext with { Listen = "127.0.0.1", DestHost = "127.0.0.1" };
                    foreach ((string name, Func<SampleContext, SampleContext> configure, int exitCode, string[] mustContain, Func<TourForwarding.TourDrive, Task<string>>? drive) in forwarding.Steps())
                    {
                        failures += await RunForwardingSampleAsync(context.Out, configure(forwardContext), server, name, exitCode, mustContain, drive) ? 0 : 1;
                    }
                }

                await context.Out.WriteLineAsync(failures == 0 ? "Tour finished: every sample did what it should." : $"Tour finished: {failures} sample(s) failed.");
                return failures == 0 ? 0 : 1;
            }
            finally
            {
                await server.DisconnectAllAsync();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A loopback port nothing listens on (bound, then released), for a host that fails on purpose.</summary>
    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Runs a forwarding sample: while it runs, <paramref name="drive"/> uses its forward (what it
    /// got back is part of the output checked); then the server disconnects it, which ends the sample.
    /// </summary>
    private static async Task<bool> RunForwardingSampleAsync(TextWriter report, SampleContext context, SshListener server, string name, int exitCode, string[] mustContain, Func<TourForwarding.TourDrive, Task<string>>? drive)
    {
        if (SampleCatalog.Find(name) is not { } sample)
        {
            await report.WriteLineAsync($"== {name} (FAILED: no such sample)");
            return false;
        }

        var text = new StringWriter();
        TextWriter output = TextWriter.Synchronized(text);
        var bytes = new MemoryStream();
        SampleContext run = context with { Out = output, Error = output, OutBytes = Stream.Synchronized(bytes) };
        Task<int> exit = Task.Run(() => sample.RunAsync(run));
        string driven = string.Empty;
        if (drive is not null)
        {
            try
            {
                driven = await drive(new TourForwarding.TourDrive(run, () => { lock (output) { return text.ToString(); } }, exit));
            }
            catch (Exception ex)
            {
                driven = $"(the tour could not use the forward: {ex.Message})\n";
            }

            await server.DisconnectAllAsync(); // the connection ends, and with it the sample
        }

        int code;
        try
        {
            code = await exit.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception ex)
        {
            await output.WriteLineAsync(ex is TimeoutException ? "(still running after the connection ended)" : $"unhandled {ex.GetType().Name}: {ex.Message}");
            code = -1;
        }

        string all;
        lock (output)
        {
            all = text + System.Text.Encoding.Latin1.GetString(bytes.ToArray()) + driven;
        }

        bool ok = code == exitCode && mustContain.All(m => all.Contains(m, StringComparison.Ordinal));
        await report.WriteLineAsync($"== {name} ({(ok ? "ok" : $"FAILED, exit code {code}")})");
        await report.WriteAsync(all);
        return ok;
    }

    private static async Task<bool> RunSampleAsync(TextWriter report, SampleContext context, string name, int exitCode, string[] mustContain)
    {
        var output = new StringWriter();
        int code;
        if (SampleCatalog.Find(name) is not { } sample)
        {
            await report.WriteLineAsync($"== {name} (FAILED: no such sample)");
            return false;
        }

        string downloaded = Path.Combine(context.WorkingDirectory, "example.txt");
        bool downloads = name is "sftp_client" or "scp_client";
        if (downloads)
        {
            // Each download sample must bring its own copy.
            File.Delete(downloaded);
        }

        try
        {
            code = await sample.RunAsync(context with { Out = output, Error = output });
        }
        catch (Exception ex)
        {
            await output.WriteLineAsync($"unhandled {ex.GetType().Name}: {ex.Message}");
            code = -1;
        }

        if (name == "redirect_input" && File.Exists(context.Output))
        {
            // The sample prints nothing: what it did is in the file.
            await output.WriteAsync($"(the file {Path.GetFileName(context.Output)} holds:\n{await File.ReadAllTextAsync(context.Output)})\n");
        }

        if (downloads && File.Exists(downloaded))
        {
            await output.WriteAsync($"(the downloaded example.txt holds:\n{await File.ReadAllTextAsync(downloaded)})\n");
        }

        string text = output.ToString();
        bool ok = code == exitCode && mustContain.All(m => text.Contains(m, StringComparison.Ordinal));
        await report.WriteLineAsync($"== {name} ({(ok ? "ok" : $"FAILED, exit code {code}")})");
        await report.WriteAsync(text);
        return ok;
    }
}
