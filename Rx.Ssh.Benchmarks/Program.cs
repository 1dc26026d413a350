// Rx.Ssh benchmarks against a private OpenSSH sshd, compared with OpenSSH's own client.
//   dotnet run -c Release --project Rx.Ssh.Benchmarks [--size-mb N] [--iterations N] [--ciphers-only]
// --ciphers-only measures the packet ciphers in-process instead (no sshd).
using System.Globalization;

int sizeMb = 1024;
int iterations = 50;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--size-mb" when i + 1 < args.Length:
            sizeMb = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--iterations" when i + 1 < args.Length:
            iterations = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--ciphers-only":
            CipherThroughput.Run(Console.Out);
            return 0;
        default:
            Console.Error.WriteLine("usage: Rx.Ssh.Benchmarks [--size-mb N] [--iterations N] [--ciphers-only]");
            return 2;
    }
}

if (sizeMb < 1 || iterations < 1)
{
    Console.Error.WriteLine("--size-mb and --iterations must be at least 1");
    return 2;
}

await using SshdServer server = await SshdServer.StartAsync();
await new BenchmarkSuite(server, Console.Out).RunAsync(sizeMb, iterations);
return 0;
