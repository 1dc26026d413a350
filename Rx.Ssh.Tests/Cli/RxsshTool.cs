using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Cli;

/// <summary>Runs the built <c>rxssh.dll</c> as a process, with HOME an empty temporary directory and no agent, so nothing of the user's leaks in.</summary>
internal static class RxsshTool
{
    /// <summary>rxssh.dll of the same configuration as these tests.</summary>
    public static string DllPath
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            DirectoryInfo configuration = tfm.Parent!;
            DirectoryInfo repository = configuration.Parent!.Parent!.Parent!;
            return Path.Combine(repository.FullName, "Rx.Ssh.Cli", "bin", configuration.Name, tfm.Name, "rxssh.dll");
        }
    }

    public static Task<ProcessResult> RunAsync(string home, params string[] arguments) =>
        ProcessRunner.RunAsync(ProcessRunner.CreateStartInfo("dotnet", [DllPath, .. arguments], Environment(home)), null, null, TestTimeout.Long);

    public static IEnumerable<KeyValuePair<string, string?>> Environment(string home) =>
        [new("HOME", home), new("SSH_AUTH_SOCK", null), new("NO_COLOR", "1")];
}
