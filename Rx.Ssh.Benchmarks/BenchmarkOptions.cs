using System.Globalization;

/// <summary>What to run, from the command line (see <see cref="Usage"/>).</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage =
        "usage: Rx.Ssh.Benchmarks [--size-mb N] [--iterations N]                        Rx.Ssh client vs OpenSSH ssh, against sshd\n" +
        "       Rx.Ssh.Benchmarks --servers [--size-mb N] [--iterations N] [--cipher NAME]...\n" +
        "                         [--connections K] [--concurrency C] [--serve-dll PATH]  OpenSSH ssh against sshd and the serve sample\n" +
        "       Rx.Ssh.Benchmarks --in-process [--connections K] [--concurrency C]     Rx.Ssh client to Rx.Ssh server, one process\n" +
        "       Rx.Ssh.Benchmarks --forwarding [--size-mb N] [--iterations N] [--cipher NAME] [--rate R] [--seconds S] [--serve-dll PATH]\n" +
        "                         [--kind upload|download|both]... [--bulk-only]\n" +
        "                         forwarded TCP (-L, -R): Rx.Ssh and ssh against sshd, ssh against serve (default 256 MiB, 200 conn/s for 5 s;\n" +
        "                         --kind: only these bulk transfers; --bulk-only: no short connections)\n" +
        "       Rx.Ssh.Benchmarks --sftp [--size-mb N] [--files N] [--iterations N] [--cipher NAME]... [--serve-dll PATH] [--kind get|put|get-r|put-r]...\n" +
        "                         [--concurrent-files N] [--requests-in-flight N] [--upload-channels N] [--rtt-ms N]\n" +
        "                         SFTP get/put of one file and of a tree of N 64 KiB files: Rx.Ssh's client and sftp against sshd's\n" +
        "                         sftp-server, sftp against serve (default 64 MiB and 100 files, median of 3; the issue's: --size-mb 1024 --files 1000;\n" +
        "                         --concurrent-files, --requests-in-flight, --upload-channels: Rx.Ssh's MaxConcurrentFiles,\n" +
        "                         MaxRequestsInFlight and UploadChannels, default the library's; --rtt-ms: every client goes through a relay\n" +
        "                         that delays each chunk N/2 ms each way, a link with that round trip)\n" +
        "       Rx.Ssh.Benchmarks --scale [--connections K] [--concurrency C] [--cycles N] [--transfer-gib G]\n" +
        "       Rx.Ssh.Benchmarks --client-memory [--size-mb N]\n" +
        "                         one Rx.Ssh server process: K idle authenticated connections (memory per connection), N connect/run/close\n" +
        "                         cycles (memory flat?), G GiB each way through re-keys every 64 MiB (sha256); the issue's: 10000, 100000, 10\n" +
        "       Rx.Ssh.Benchmarks --ciphers-only                                        packet ciphers in-process";

    public static readonly IReadOnlyList<string> DefaultCiphers = ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com"];

    public BenchmarkMode Mode { get; init; } = BenchmarkMode.Client;

    public int SizeMb { get; init; } = 1024;

    /// <summary>Null: the mode's default (50 connection latencies for the client mode, 3 transfers per server for --servers).</summary>
    public int? Iterations { get; init; }

    public IReadOnlyList<string> Ciphers { get; init; } = DefaultCiphers;

    public int Connections { get; init; } = 200;

    public int Concurrency { get; init; } = 4;

    public string? ServeDll { get; init; }

    /// <summary>--scale: connect/run/close cycles.</summary>
    public int Cycles { get; init; } = 10_000;

    /// <summary>--scale: GiB each way through re-keys.</summary>
    public int TransferGiB { get; init; } = 1;

    /// <summary>--forwarding: short forwarded connections started per second.</summary>
    public int Rate { get; init; } = 200;

    /// <summary>--forwarding: for how long short connections are started.</summary>
    public int Seconds { get; init; } = 5;

    /// <summary>--sftp: the small files of the tree transfers.</summary>
    public int Files { get; init; } = 100;

    /// <summary>--sftp: Rx.Ssh's <c>SftpTransferOptions.MaxConcurrentFiles</c> for the tree; null: the library's default.</summary>
    public int? ConcurrentFiles { get; init; }

    /// <summary>--sftp: Rx.Ssh's <c>SftpClientOptions.MaxRequestsInFlight</c>; null: the library's default.</summary>
    public int? RequestsInFlight { get; init; }

    /// <summary>--sftp: Rx.Ssh's <c>SftpTransferOptions.UploadChannels</c> for the large put; null: the library's default.</summary>
    public int? UploadChannels { get; init; }

    /// <summary>--sftp: the round-trip time in milliseconds a delaying relay gives every client's link (0: direct loopback).</summary>
    public int RttMs { get; init; }

    /// <summary>--forwarding: the bulk transfers to run (upload, download, both); --sftp: get, put, get-r, put-r; empty: all.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>--forwarding: skip the short connections.</summary>
    public bool BulkOnly { get; init; }

    /// <summary>Hidden (--sshd-as-serve): a second sshd stands in for the serve sample, to test the harness.</summary>
    public bool SshdAsServe { get; init; }

    /// <summary>The options, or null with a message on <paramref name="error"/> when the command line is wrong.</summary>
    public static BenchmarkOptions? Parse(string[] args, TextWriter error)
    {
        var options = new BenchmarkOptions();
        var ciphers = new List<string>();
        var kinds = new List<string>();
        bool sizeGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            bool hasValue = i + 1 < args.Length;
            switch (args[i])
            {
                case "--size-mb" when hasValue:
                    options = options with { SizeMb = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    sizeGiven = true;
                    break;
                case "--iterations" when hasValue:
                    options = options with { Iterations = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--cipher" when hasValue:
                    ciphers.Add(args[++i]);
                    break;
                case "--connections" when hasValue:
                    options = options with { Connections = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--concurrency" when hasValue:
                    options = options with { Concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--serve-dll" when hasValue:
                    options = options with { ServeDll = args[++i] };
                    break;
                case "--sshd-as-serve":
                    options = options with { SshdAsServe = true };
                    break;
                case "--files" when hasValue:
                    options = options with { Files = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--concurrent-files" when hasValue:
                    options = options with { ConcurrentFiles = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--requests-in-flight" when hasValue:
                    options = options with { RequestsInFlight = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--upload-channels" when hasValue:
                    options = options with { UploadChannels = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--rtt-ms" when hasValue:
                    options = options with { RttMs = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--sftp":
                    options = options with { Mode = BenchmarkMode.Sftp };
                    break;
                case "--rate" when hasValue:
                    options = options with { Rate = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--seconds" when hasValue:
                    options = options with { Seconds = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--kind" when hasValue && args[i + 1] is "upload" or "download" or "both" or "get" or "put" or "get-r" or "put-r":
                    kinds.Add(args[++i]);
                    break;
                case "--bulk-only":
                    options = options with { BulkOnly = true };
                    break;
                case "--forwarding":
                    options = options with { Mode = BenchmarkMode.Forwarding };
                    break;
                case "--servers":
                    options = options with { Mode = BenchmarkMode.Servers };
                    break;
                case "--in-process":
                    options = options with { Mode = BenchmarkMode.InProcess };
                    break;
                case "--scale":
                    options = options with { Mode = BenchmarkMode.Scale };
                    break;
                case "--client-memory":
                    options = options with { Mode = BenchmarkMode.ClientMemory };
                    break;
                case "--cycles" when hasValue:
                    options = options with { Cycles = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--transfer-gib" when hasValue:
                    options = options with { TransferGiB = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                    break;
                case "--ciphers-only":
                    options = options with { Mode = BenchmarkMode.Ciphers };
                    break;
                default:
                    error.WriteLine(Usage);
                    return null;
            }
        }

        if (ciphers.Count > 0)
        {
            options = options with { Ciphers = ciphers };
        }

        if (kinds.Count > 0)
        {
            options = options with { Kinds = kinds };
        }

        if (options.Mode == BenchmarkMode.Forwarding && !sizeGiven)
        {
            options = options with { SizeMb = 256 };
        }

        if (options.Mode == BenchmarkMode.Sftp && !sizeGiven)
        {
            options = options with { SizeMb = 64 };
        }

        if (options.SizeMb < 1 || options.Iterations < 1 || options.Connections < 1 || options.Concurrency < 1 || options.Rate < 1 || options.Seconds < 1 || options.Files < 1 || options.ConcurrentFiles < 1 || options.RequestsInFlight < 1 || options.UploadChannels < 1 || options.Cycles < 1 || options.TransferGiB < 1 || options.RttMs < 0)
        {
            error.WriteLine("--size-mb, --iterations, --connections, --concurrency, --rate, --seconds, --files, --concurrent-files, --requests-in-flight and --upload-channels must be at least 1, --rtt-ms at least 0");
            return null;
        }

        return options;
    }
}

internal enum BenchmarkMode
{
    Client,
    Servers,
    Forwarding,
    Sftp,
    InProcess,
    Scale,
    ClientMemory,
    Ciphers,
}
