using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// OpenSSH's <c>ssh -s</c> asking the Rx.Ssh server for a subsystem with a key whose authorized_keys
/// line forces a command, and with a certificate carrying <c>force-command</c>: the forced command
/// runs instead, with the subsystem's name in <c>SSH_ORIGINAL_COMMAND</c>.
/// </summary>
public sealed class ServerInteropForcedCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<RxSshServerUnderTest> StartServerAsync(string authorizedKeys) =>
        RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse(authorizedKeys),
            AuthFailureDelay = TimeSpan.Zero,
            ProcessHandler = async p =>
            {
                p.Environment.TryGetValue("SSH_ORIGINAL_COMMAND", out string? original);
                await p.Stdout.WriteAsync($"{p.RequestType} command={p.Command} subsystem={p.Subsystem} original={original}\n");
            },
        });

    [Fact]
    public async Task Ssh_s_with_a_command_restricted_key_runs_the_forced_command()
    {
        await using RxSshServerUnderTest server = await StartServerAsync($"command=\"/usr/local/bin/backup\" {TestKeys.Ed25519.PublicKeyLine}\n");

        ProcessResult result = await (server.Client() with { Arguments = ["-s"] }).RunAsync("sftp");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("exec command=/usr/local/bin/backup subsystem= original=sftp\n", result.StdoutText);
    }

    [Fact]
    public async Task Ssh_s_with_a_force_command_certificate_runs_the_forced_command()
    {
        string ca = Generate("ca");
        string key = Generate("id");
        OpenSshTool.SshKeygen("-q", "-s", ca, "-I", "backup-only", "-n", RxSshServerUnderTest.UserName, "-V", "-5m:+1h", "-O", "force-command=/usr/local/bin/backup", key + ".pub");
        await using RxSshServerUnderTest server = await StartServerAsync("cert-authority " + File.ReadAllText(ca + ".pub"));

        ProcessResult result = await (server.Client() with { IdentityFile = key, PreferredAuthentications = ["publickey"], Arguments = ["-s"] })
            .WithOptions("IdentitiesOnly=yes").RunAsync("sftp");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("exec command=/usr/local/bin/backup subsystem= original=sftp\n", result.StdoutText);
    }

    private string Generate(string name)
    {
        string path = _dir.File(name);
        OpenSshTool.Run("ssh-keygen", ["-q", "-N", string.Empty, "-t", "ed25519", "-f", path]);
        return path;
    }
}
