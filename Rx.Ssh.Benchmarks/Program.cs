// Rx.Ssh benchmarks; see BenchmarkOptions.Usage and the README's Benchmarks section.
//   dotnet run -c Release --project Rx.Ssh.Benchmarks [--size-mb N] [--iterations N]   Rx.Ssh client vs ssh, against sshd
//   ... --servers      OpenSSH ssh against sshd and the Rx.Ssh serve sample: MB/s and connections/s
//   ... --forwarding   forwarded TCP through -L and -R: Rx.Ssh and ssh against sshd, ssh against serve
//   ... --sftp         SFTP get/put (one file, a tree of small files): Rx.Ssh's client and sftp against sshd, sftp against serve
//   ... --in-process   Rx.Ssh client to Rx.Ssh server in one process: connection setups/s
//   ... --scale        one Rx.Ssh server process: idle connections' memory, connect cycles, GiB through re-keys
//   ... --client-memory the Rx.Ssh client's own memory during a transfer each way (server in a child process)
//   ... --ciphers-only the packet ciphers in-process (no sshd)
if (args is ["--delay-proxy", string targetPort, string roundTripMs])
{
    return await DelayProxy.RunAsync(int.Parse(targetPort, System.Globalization.CultureInfo.InvariantCulture), int.Parse(roundTripMs, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["--scale-server", string keysDirectory, string rekeyBytes])
{
    return await ScaleServer.RunAsync(keysDirectory, long.Parse(rekeyBytes, System.Globalization.CultureInfo.InvariantCulture));
}

BenchmarkOptions? options = BenchmarkOptions.Parse(args, Console.Error);
if (options is null)
{
    return 2;
}

switch (options.Mode)
{
    case BenchmarkMode.Ciphers:
        CipherThroughput.Run(Console.Out);
        return 0;
    case BenchmarkMode.InProcess:
        return await InProcessSetup.RunAsync(options, Console.Out);
    case BenchmarkMode.Forwarding:
        using (BenchKeys keys = await BenchKeys.CreateAsync())
        {
            return await new ForwardingBenchmark(keys, options, Console.Out).RunAsync();
        }

    case BenchmarkMode.Sftp:
        using (BenchKeys keys = await BenchKeys.CreateAsync())
        {
            return await new SftpBenchmark(keys, options, Console.Out).RunAsync();
        }

    case BenchmarkMode.Scale:
        using (BenchKeys keys = await BenchKeys.CreateAsync())
        {
            return await new ScaleBenchmark(keys, options, Console.Out).RunAsync();
        }

    case BenchmarkMode.ClientMemory:
        using (BenchKeys keys = await BenchKeys.CreateAsync())
        {
            return await new ClientMemoryBenchmark(keys, options, Console.Out).RunAsync();
        }

    case BenchmarkMode.Servers:
        using (BenchKeys keys = await BenchKeys.CreateAsync())
        {
            return await new ServerComparison(keys, options, Console.Out).RunAsync();
        }

    default:
        using (BenchKeys keys = await BenchKeys.CreateAsync())
        {
            await using SshdServer server = await SshdServer.StartAsync(keys);
            await new BenchmarkSuite(server, Console.Out).RunAsync(options.SizeMb, options.Iterations ?? 50);
        }

        return 0;
}
