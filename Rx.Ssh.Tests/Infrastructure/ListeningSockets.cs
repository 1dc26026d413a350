using System.Globalization;
using System.Runtime.Versioning;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Whether this test process holds a listening TCP socket on a port, from /proc (Linux). Unlike
/// connecting to the port and expecting a refusal, the answer cannot be spoiled by another test
/// binding the freed port meanwhile, nor by a connect that happens to pick the port as its own
/// source (a TCP self-connect), so it is the check for "our listener is gone" in tests that free
/// many ports at once.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ListeningSockets
{
    private const string ListenState = "0A";

    /// <summary>True when a socket of this process listens on TCP <paramref name="port"/> (IPv4 or IPv6).</summary>
    public static bool HeldByThisProcess(int port)
    {
        HashSet<string> listening = [];
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string local = fields[1];
                int localPort = int.Parse(local.AsSpan(local.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && fields[3] == ListenState)
                {
                    listening.Add(fields[9]);
                }
            }
        }

        if (listening.Count == 0)
        {
            return false;
        }

        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && listening.Contains(target[8..^1]))
            {
                return true;
            }
        }

        return false;
    }
}
