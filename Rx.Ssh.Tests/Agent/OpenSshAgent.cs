using System.Diagnostics;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Agent;

/// <summary>
/// OpenSSH's <c>ssh-agent -D -a SOCKET</c> as a child process on a socket in a private temporary
/// directory; <see cref="DisposeAsync"/> kills it by its PID and removes the directory. Its
/// <c>SSH_ASKPASS</c> is <c>/bin/false</c>, so a key added with confirmation is always refused.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class OpenSshAgent : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private OpenSshAgent(Process process, string directory, string socketPath)
    {
        _process = process;
        _directory = directory;
        SocketPath = socketPath;
    }

    /// <summary>The agent's socket.</summary>
    public string SocketPath { get; }

    /// <summary>A private directory for the test's own files (copies of keys, certificates); removed with the agent.</summary>
    public string Directory => _directory;

    /// <summary>Starts an agent and waits until it listens (it prints its <c>SSH_AUTH_SOCK=</c> line then).</summary>
    public static async Task<OpenSshAgent> StartAsync()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("rxag-").FullName;
        string socket = Path.Combine(directory, "agent.sock");
        ProcessStartInfo start = ProcessRunner.CreateStartInfo("ssh-agent", ["-D", "-a", socket], Environment());
        Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start ssh-agent");
        process.StandardInput.Close();
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TestTimeout.Default);
            if (line is null || !line.StartsWith("SSH_AUTH_SOCK=" + socket, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"ssh-agent did not start: '{line}'");
            }

            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            return new OpenSshAgent(process, directory, socket);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Runs <c>ssh-add</c> with <paramref name="arguments"/> against this agent; fails the test unless it exits 0.</summary>
    public async Task<string> SshAddAsync(params string[] arguments)
    {
        ProcessResult result = await RunSshAddAsync(arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-add {string.Join(' ', arguments)}: {result}");
        }

        return result.StdoutText;
    }

    /// <summary>Runs <c>ssh-add</c> with <paramref name="arguments"/> against this agent.</summary>
    public Task<ProcessResult> RunSshAddAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(
            ProcessRunner.CreateStartInfo("ssh-add", arguments, [.. Environment(), new("SSH_AUTH_SOCK", SocketPath)]),
            stdin: null,
            stdoutSink: null);

    /// <summary>Copies <paramref name="key"/>'s files into <see cref="Directory"/> (mode 0600) and returns the private key's path.</summary>
    public string CopyKey(TestKey key, string name)
    {
        string path = Path.Combine(_directory, name);
        File.Copy(key.PrivateKeyPath, path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Copy(key.PublicKeyPath, path + ".pub");
        return path;
    }

    /// <summary>Kills the agent by its PID, waits for it, removes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TestTimeout.Default);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    private static List<KeyValuePair<string, string?>> Environment() =>
        [new("SSH_AUTH_SOCK", null), new("DISPLAY", null), new("SSH_ASKPASS", "/bin/false"), new("SSH_ASKPASS_REQUIRE", "force")];
}
