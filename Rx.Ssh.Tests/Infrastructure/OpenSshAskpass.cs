namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// The <c>SSH_ASKPASS</c> program that lets <c>ssh</c> authenticate with a password without a
/// terminal and without sshpass. One tiny shell script per test run (in a 0700 temp directory
/// removed at exit) answers every prompt with the value of <see cref="PasswordVariable"/>, so the
/// password travels in the environment of the one ssh process and is never written to disk or
/// quoted into a script. When <see cref="LogVariable"/> names a file, each prompt ssh showed is
/// appended to it (one line per prompt), so tests can tell that ssh did ask.
/// <see cref="Environment(string, string?)"/> also sets <c>SSH_ASKPASS_REQUIRE=force</c> (use
/// askpass even if a terminal is at hand) and <c>DISPLAY</c> (which older ssh versions demand
/// before they consider askpass at all).
/// </summary>
internal static class OpenSshAskpass
{
    /// <summary>The variable holding the password the script prints.</summary>
    public const string PasswordVariable = "RXSSH_ASKPASS_PASSWORD";

    /// <summary>The variable naming a file the script appends each prompt to (optional).</summary>
    public const string LogVariable = "RXSSH_ASKPASS_LOG";

    private const string Script =
        "#!/bin/sh\n" +
        "# Rx.Ssh.Tests: answers ssh's prompt ($1) with $" + PasswordVariable + ".\n" +
        "if [ -n \"$" + LogVariable + "\" ]; then printf '%s\\n' \"$1\" >> \"$" + LogVariable + "\"; fi\n" +
        "printf '%s\\n' \"$" + PasswordVariable + "\"\n";

    private static readonly Lazy<string> ScriptFile = new(CreateScript, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The script's path (made on first use).</summary>
    public static string ScriptPath => ScriptFile.Value;

    /// <summary>The environment variables that make ssh answer prompts with <paramref name="password"/>.</summary>
    /// <param name="password">The password.</param>
    /// <param name="logFile">A file that collects the prompts; null for none.</param>
    public static IEnumerable<KeyValuePair<string, string?>> Environment(string password, string? logFile) =>
    [
        new("SSH_ASKPASS", ScriptPath),
        new("SSH_ASKPASS_REQUIRE", "force"),
        new("DISPLAY", ":0"),
        new(PasswordVariable, password),
        new(LogVariable, logFile),
    ];

    private static string CreateScript()
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-askpass-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KeyCache.TryDelete(directory);
        string path = Path.Combine(directory, "askpass.sh");
        File.WriteAllText(path, Script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        return path;
    }
}
