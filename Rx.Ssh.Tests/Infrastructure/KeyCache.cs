using System.Diagnostics;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Makes keys with <c>ssh-keygen</c> at most once per test run, in one temp directory that is
/// removed when the test process exits. Thread-safe. Several keys asked for together are made
/// by concurrent <c>ssh-keygen</c> processes, waited for synchronously (no thread-pool work, so
/// callers blocking on a lazy value cannot starve the pool).
/// </summary>
internal sealed class KeyCache(string prefix)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, TestKey> _keys = new(StringComparer.Ordinal);
    private string? _directory;

    /// <summary>The key called <paramref name="name"/>, made on first use.</summary>
    public TestKey Get(string name, TestKeyType type, string? passphrase = null) => GetAll([(name, type, passphrase)])[0];

    /// <summary>The given keys, in order, making those not made yet concurrently.</summary>
    public IReadOnlyList<TestKey> GetAll(IReadOnlyList<(string Name, TestKeyType Type, string? Passphrase)> specs)
    {
        lock (_gate)
        {
            _directory ??= CreateDirectory(prefix);
            var started = new List<(string Name, TestKeyType Type, string? Passphrase, string Path, Process Process)>();
            try
            {
                foreach (var (name, type, passphrase) in specs.Where(s => !_keys.ContainsKey(s.Name)).DistinctBy(s => s.Name))
                {
                    string path = Path.Combine(_directory, name);
                    started.Add((name, type, passphrase, path, StartKeygen(type, passphrase, name, path)));
                }

                foreach (var (name, type, passphrase, path, process) in started)
                {
                    string stderr = process.StandardError.ReadToEnd();
                    if (!process.WaitForExit(TestTimeout.Long) || process.ExitCode != 0)
                    {
                        throw new InvalidOperationException($"ssh-keygen failed for {name}: {stderr}");
                    }

                    _keys[name] = new TestKey(type, path, passphrase, File.ReadAllText(path + ".pub").Trim());
                }
            }
            finally
            {
                foreach (var entry in started)
                {
                    ProcessRunner.KillQuietly(entry.Process);
                    entry.Process.Dispose();
                }
            }

            return [.. specs.Select(s => _keys[s.Name])];
        }
    }

    private static Process StartKeygen(TestKeyType type, string? passphrase, string name, string path)
    {
        var startInfo = new ProcessStartInfo("ssh-keygen")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "-q", .. type.KeygenArguments(), "-N", passphrase ?? string.Empty,
            "-C", $"rxssh-test-{name}", "-f", path,
        ];
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start ssh-keygen.");
        process.StandardInput.Close();
        return process;
    }

    private static string CreateDirectory(string prefix)
    {
        // Created 0700 on Unix: ssh refuses private keys others can read.
        string directory = Directory.CreateTempSubdirectory(prefix).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory);
        return directory;
    }

    /// <summary>Removes <paramref name="directory"/> and its content, ignoring failures.</summary>
    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
