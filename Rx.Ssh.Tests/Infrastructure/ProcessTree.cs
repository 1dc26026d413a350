using System.Diagnostics;
using System.Globalization;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Stops a process and everything it started, leaves first, so each process is reaped by its
/// own (still living) parent. Killing the root first would orphan the rest to PID 1, and where
/// PID 1 does not reap (as in some CI sandboxes) they would stay as zombies.
/// Linux reads the tree from <c>/proc</c>; elsewhere this falls back to
/// <see cref="Process.Kill(bool)"/>. Only the given process and its descendants are signalled, by PID.
/// </summary>
internal static class ProcessTree
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Kills <paramref name="root"/>'s descendants leaves first, then <paramref name="root"/>, and waits for it.</summary>
    public static async Task StopAsync(Process root, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        if (OperatingSystem.IsLinux())
        {
            while (deadline.Elapsed < timeout && !HasExited(root))
            {
                Dictionary<int, (int Parent, char State)> table = ReadProcessTable();
                List<int> descendants = Descendants(table, root.Id);
                if (descendants.Count == 0)
                {
                    break;
                }

                // A leaf has no children at all: not even an unreaped zombie its parent still owes a wait.
                var parents = table.Values.Select(p => p.Parent).ToHashSet();
                List<int> leaves = [.. descendants.Where(pid => table[pid].State != 'Z' && !parents.Contains(pid))];
                foreach (int pid in leaves)
                {
                    KillPid(pid);
                }

                // Wait (bounded) for the parents to reap what was killed, then look again.
                do
                {
                    await Task.Delay(PollInterval);
                }
                while (deadline.Elapsed < timeout && StillPresent(leaves));
            }
        }

        ProcessRunner.KillQuietly(root);
        TimeSpan left = timeout - deadline.Elapsed;
        await root.WaitForExitAsync().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1));
    }

    /// <summary>The ids of <paramref name="root"/>'s descendants (Linux; empty elsewhere).</summary>
    public static IReadOnlyList<int> DescendantIds(int root) =>
        OperatingSystem.IsLinux() ? Descendants(ReadProcessTable(), root) : [];

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static void KillPid(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not ours to kill after all, or gone.
        }
    }

    private static bool StillPresent(IEnumerable<int> pids) => pids.Any(pid => Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)));

    private static List<int> Descendants(Dictionary<int, (int Parent, char State)> table, int root)
    {
        ILookup<int, int> children = table.ToLookup(p => p.Value.Parent, p => p.Key);
        List<int> result = [];
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out int pid))
        {
            foreach (int child in children[pid])
            {
                result.Add(child);
                pending.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>pid → (parent pid, state letter) for every process in <c>/proc</c>.</summary>
    private static Dictionary<int, (int Parent, char State)> ReadProcessTable()
    {
        var table = new Dictionary<int, (int, char)>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
            int close = stat.LastIndexOf(')');
            string[] fields = stat[(close + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent))
            {
                table[pid] = (parent, fields[0][0]);
            }
        }

        return table;
    }
}
