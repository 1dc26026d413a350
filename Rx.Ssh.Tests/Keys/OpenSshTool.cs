using System.Diagnostics;

namespace Rx.Ssh.Tests.Keys;

/// <summary>Runs OpenSSH/OpenSSL command-line tools with a timeout and captures their output.</summary>
internal static class OpenSshTool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="program"/>; throws when it fails unless <paramref name="allowFailure"/>.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string? stdin = null, bool allowFailure = false, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {Timeout}");
        }

        process.WaitForExit();
        var result = new Result(process.ExitCode, stdout.Result, stderr.Result);
        if (!allowFailure && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Stderr}");
        }

        return result;
    }

    public static Result SshKeygen(params string[] arguments) => Run("ssh-keygen", arguments);
}
