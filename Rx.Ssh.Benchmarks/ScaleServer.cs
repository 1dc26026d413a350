using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Rx.Ssh;

/// <summary>
/// The server side of <c>--scale</c>, run as a child process (<c>--scale-server DIR</c>) so its
/// memory is its own: an Rx.Ssh server on 127.0.0.1 with the keys in <c>DIR</c> (<see cref="BenchKeys"/>),
/// whose process handler knows four commands: <c>idle</c> (holds the session until the client
/// closes its stdin), <c>true</c>, <c>sink</c> (prints the SHA-256 of its stdin) and
/// <c>source N</c> (writes N bytes of <see cref="ScaleData"/>). It prints <c>port P</c>, then
/// answers each <c>measure</c> line on its stdin with one line of figures after a full,
/// compacting collection.
/// </summary>
internal static class ScaleServer
{
    private static int _sessions;

    public static async Task<int> RunAsync(string keysDirectory, long rekeyBytes)
    {
        using SshPrivateKey hostKey = SshPrivateKey.Load(Path.Combine(keysDirectory, "host_ed25519"));
        AuthorizedKeysFile authorized = AuthorizedKeysFile.Parse(await File.ReadAllTextAsync(Path.Combine(keysDirectory, "authorized_keys")));
        await using SshListener listener = await SshServer.StartAsync(new SshServerOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            HostKeys = [hostKey],
            AuthorizedKeys = _ => authorized,
            ProcessHandler = HandleAsync,
            RekeyBytes = rekeyBytes,
            // Every client comes from 127.0.0.1 at once: no per-source caps, no random drop.
            MaxUnauthenticatedConnections = 1000,
            MaxUnauthenticatedPerAddress = 0,
            MaxUnauthenticatedPerNetBlock = 0,
            RandomDropStart = int.MaxValue,
        });
        Console.WriteLine($"port {listener.Port}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "measure")
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GCMemoryInfo info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measure rss={Environment.WorkingSet} heap={info.HeapSizeBytes - info.FragmentedBytes} sessions={Volatile.Read(ref _sessions)}"));
            }
        }

        return 0;
    }

    private static async Task HandleAsync(SshServerProcess process)
    {
        string[] words = (process.Command ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["idle"]:
                Interlocked.Increment(ref _sessions);
                try
                {
                    await process.Stdout.WriteAsync("ready\n");
                    await process.Stdin.DiscardAsync();
                }
                finally
                {
                    Interlocked.Decrement(ref _sessions);
                }

                await process.ExitAsync(0);
                break;
            case ["true"]:
                await process.ExitAsync(0);
                break;
            case ["sink"]:
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    await process.Stdin.CopyToAsync(new HashingStream(hash));
                    await process.Stdout.WriteAsync(Convert.ToHexStringLower(hash.GetHashAndReset()) + "\n");
                }

                await process.ExitAsync(0);
                break;
            case ["source", string size]:
                await process.Stdout.CopyFromAsync(new ScaleData(long.Parse(size, CultureInfo.InvariantCulture)), sendEof: true);
                await process.ExitAsync(0);
                break;
            default:
                await process.Stderr.WriteAsync($"unknown command: {process.Command}\n");
                await process.ExitAsync(127);
                break;
        }
    }
}
