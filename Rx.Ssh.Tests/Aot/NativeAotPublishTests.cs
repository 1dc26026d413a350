using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Aot;

/// <summary>
/// Publishes Rx.Ssh.AotSmoke (a client and a server in one program: public-key login, a command,
/// an SFTP download) with NativeAOT and runs the native binary: the packages work trimmed and
/// compiled ahead of time, not only under the JIT. The publish has its own artifacts folder, so
/// it shares no build output with the tests' own build.
/// </summary>
public sealed class NativeAotPublishTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("rxssh-aot-publish-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task The_smoke_program_published_with_NativeAOT_connects_runs_a_command_and_downloads_over_SFTP()
    {
        string project = Path.Combine(RepositoryRoot(), "Rx.Ssh.AotSmoke", "Rx.Ssh.AotSmoke.csproj");
        string output = Path.Combine(_work, "out");
        ProcessResult publish = await ProcessRunner.RunAsync(
            "dotnet",
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "--artifacts-path", Path.Combine(_work, "artifacts"), "-o", output, "--nologo"],
            timeout: TimeSpan.FromMinutes(8));
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.DoesNotContain("warning", publish.StdoutText, StringComparison.OrdinalIgnoreCase);

        string native = Path.Combine(output, "Rx.Ssh.AotSmoke");
        Assert.True(File.Exists(native), $"no native binary at {native}");
        Assert.False(File.Exists(Path.Combine(output, "Rx.Ssh.dll")), "the output holds IL assemblies: not a NativeAOT publish");

        ProcessResult run = await ProcessRunner.RunAsync(native, [], timeout: TestTimeout.Long);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            ["connected: SSH-2.0-RxSsh_0.1", "exec: ran 'hello' as aot", "exit: 7", "sftp get: 3145745 bytes, sha256 equal"],
            run.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The repository: four levels above the tests' bin/Configuration/TargetFramework folder.</summary>
    private static string RepositoryRoot()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return tfm.Parent!.Parent!.Parent!.Parent!.FullName;
    }
}
