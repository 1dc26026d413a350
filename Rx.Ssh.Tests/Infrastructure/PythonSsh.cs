using System.Diagnostics;
using System.Text.Json;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Paramiko and AsyncSSH as Debian packages them for its own Python (<c>/usr/bin/python3</c>, packages
/// <c>python3-paramiko</c> and <c>python3-asyncssh</c>; build/test.sh installs them), driven by the
/// scripts in <c>Interop/Python</c> (copied next to the test assembly). Each run gets a HOME of its
/// own, so neither library reads this machine's <c>~/.ssh</c>; a test needing one that is missing
/// fails with how to install it, it never skips.
/// </summary>
internal static class PythonSsh
{
    /// <summary>Debian's Python, which sees the Debian packages (a Python earlier on PATH may not).</summary>
    public const string Python = "/usr/bin/python3";

    private const string Packages = "/usr/lib/python3/dist-packages";

    /// <summary>The path of one of the scripts in <c>Interop/Python</c>.</summary>
    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", "Python", name);

    /// <summary>Fails the test unless Debian's Python has <paramref name="module"/> (from <c>python3-MODULE</c>).</summary>
    public static void Require(string module)
    {
        InteropTools.Require(Python, "python3");
        Assert.True(
            Directory.Exists(Path.Combine(Packages, module)),
            $"{Python} has no {module}: install the Debian package python3-{module} (build/test.sh does).");
    }

    /// <summary>A start info for <paramref name="script"/> with <paramref name="arguments"/>, warnings off, in <paramref name="home"/>.</summary>
    public static ProcessStartInfo StartInfo(string script, IEnumerable<string> arguments, string home) =>
        ProcessRunner.CreateStartInfo(
            Python,
            ["-W", "ignore", Script(script), .. arguments],
            [new("HOME", home), new("PYTHONDONTWRITEBYTECODE", "1"), new("SSH_AUTH_SOCK", null)]);

    /// <summary>
    /// Runs <paramref name="script"/> to its end and returns the JSON object it printed; a non-zero
    /// exit fails the test with its output.
    /// </summary>
    public static async Task<JsonElement> RunAsync(string module, string script, params string[] arguments)
    {
        Require(module);
        string home = Directory.CreateTempSubdirectory("rxssh-python-").FullName;
        try
        {
            ProcessResult result = await ProcessRunner.RunAsync(StartInfo(script, arguments, home), null, null, TestTimeout.Long);
            Assert.True(result.ExitCode == 0, $"{script} {string.Join(' ', arguments)}\n{result}");
            using var document = JsonDocument.Parse(result.Stdout);
            return document.RootElement.Clone();
        }
        finally
        {
            KeyCache.TryDelete(home);
        }
    }

    /// <summary>The string property <paramref name="name"/> of <paramref name="result"/>.</summary>
    public static string Text(this JsonElement result, string name) => result.GetProperty(name).GetString() ?? string.Empty;

    /// <summary>The integer property <paramref name="name"/> of <paramref name="result"/>.</summary>
    public static long Number(this JsonElement result, string name) => result.GetProperty(name).GetInt64();

    /// <summary>The array of strings <paramref name="name"/> of <paramref name="result"/>.</summary>
    public static string[] Texts(this JsonElement result, string name) =>
        [.. result.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
}
