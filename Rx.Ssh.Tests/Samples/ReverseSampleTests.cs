using Rx.Ssh.Keys;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>reverse_server and reverse_client (samples.md, "Reverse direction") against each other, in-process on a free loopback port.</summary>
public sealed class ReverseSampleTests
{
    private static readonly string Separator = new('-', 75);
    private static readonly Lazy<SshPrivateKey> ClientHostKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private static readonly Lazy<SshPrivateKey> ServerKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private static readonly Lazy<SshPrivateKey> OtherKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    [Fact]
    public async Task Reverse_server_runs_the_commands_on_the_caller_and_prints_each_result_as_it_completes()
    {
        string scratch = Directory.CreateTempSubdirectory("rxssh-reverse-").FullName;
        try
        {
            string go = Path.Combine(scratch, "go");
            string waiting = $"while [ ! -e {go} ]; do sleep 0.05; done; echo late";
            string early = "echo early; echo warn >&2; exit 3";
            await using SampleServer server = await SampleServer.StartAsync(
                "reverse_server", WriteServerFiles, context => context with { Commands = [waiting, early] });

            Task<(int ExitCode, string Out, string Error)> client = SampleServer.RunUntilExitAsync("reverse_client", WriteClientFiles, context => CallBack(context, server.Port));

            // The first command waits until the test has seen the second one's block: the order is "as each completes".
            await server.Out.WaitForTextAsync(Separator);
            File.WriteAllText(go, "");
            (int exitCode, string output, string error) = await client;

            Assert.Equal((0, "", ""), (exitCode, output, error));
            Assert.Equal(
                $"Listening on 127.0.0.1 port {server.Port}\n" +
                $"Command: {early}\nReturn code: 3\nStdout:\nearly\nStderr:\nwarn\n{Separator}\n" +
                $"Command: {waiting}\nReturn code: 0\nStdout:\nlate\nStderr:\n{Separator}\n",
                server.Out.Text);
            Assert.Equal("", server.Error.Text);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Reverse_client_serves_stdin_and_exit_status_through_the_local_shell()
    {
        await using SampleServer server = await SampleServer.StartAsync(
            "reverse_server", WriteServerFiles, context => context with { Commands = ["read line || true; echo \"[$line]\"; exit 7"] });
        (int exitCode, _, string error) = await SampleServer.RunUntilExitAsync("reverse_client", WriteClientFiles, context => CallBack(context, server.Port));

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Contains($"Return code: 7\nStdout:\n[]\nStderr:\n{Separator}\n", server.Out.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_with_an_untrusted_host_key_is_refused()
    {
        await using SampleServer server = await SampleServer.StartAsync("reverse_server", dir =>
        {
            WriteServerFiles(dir);
            File.WriteAllText(Path.Combine(dir, "trusted_client_host_keys"), KnownHostsFile.FormatEntry("127.0.0.1", 22, OtherKey.Value.PublicKey, hashed: false) + "\n");
        }, context => context with { Commands = ["echo never"] });
        (int exitCode, string output, string error) = await SampleServer.RunUntilExitAsync("reverse_client", WriteClientFiles, context => CallBack(context, server.Port));

        Assert.Equal((1, ""), (exitCode, output));
        Assert.StartsWith("SSH connection failed: ", error, StringComparison.Ordinal);
        string refusal = await server.Error.WaitForLineAsync(_ => true);
        Assert.StartsWith("Connection from 127.0.0.1 failed: ", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("Command:", server.Out.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listening_client_with_an_untrusted_key_is_refused_by_the_caller()
    {
        await using SampleServer server = await SampleServer.StartAsync("reverse_server", WriteServerFiles, context => context with { Commands = ["echo never"] });
        (int exitCode, string output, string error) = await SampleServer.RunUntilExitAsync("reverse_client", dir =>
        {
            WriteClientFiles(dir);
            File.WriteAllText(Path.Combine(dir, "trusted_server_keys"), OtherKey.Value.PublicKey.ToOpenSshString("other") + "\n");
        }, context => CallBack(context, server.Port));

        Assert.Equal((1, ""), (exitCode, output));
        Assert.StartsWith("SSH connection failed: ", error, StringComparison.Ordinal);
        string refusal = await server.Error.WaitForLineAsync(_ => true);
        Assert.StartsWith("Connection from 127.0.0.1 failed: ", refusal, StringComparison.Ordinal);
        Assert.Contains("denied", refusal, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Certificates_signed_by_trusted_authorities_are_accepted_both_ways()
    {
        using SshPrivateKey hostCa = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey userCa = SshPrivateKey.Generate("ssh-ed25519");
        SshCertificate hostCertificate = new SshCertificateBuilder(ClientHostKey.Value.PublicKey, SshCertificateType.Host, "device") { Principals = ["127.0.0.1"] }.Sign(hostCa);
        SshCertificate userCertificate = new SshCertificateBuilder(ServerKey.Value.PublicKey, SshCertificateType.User, "manager") { Principals = [Environment.UserName] }.Sign(userCa);
        await using SampleServer server = await SampleServer.StartAsync("reverse_server", dir =>
        {
            ServerKey.Value.Save(Path.Combine(dir, "server_key"));
            File.WriteAllText(Path.Combine(dir, "server_key-cert.pub"), userCertificate.ToOpenSshString("manager") + "\n");
            File.WriteAllText(Path.Combine(dir, "trusted_client_host_keys"), "@cert-authority 127.0.0.1 " + hostCa.PublicKey.ToOpenSshString("host-ca") + "\n");
        }, context => context with { Commands = ["echo certified"] });
        (int exitCode, _, string error) = await SampleServer.RunUntilExitAsync("reverse_client", dir =>
        {
            ClientHostKey.Value.Save(Path.Combine(dir, "client_host_key"));
            File.WriteAllText(Path.Combine(dir, "client_host_key-cert.pub"), hostCertificate.ToOpenSshString("device") + "\n");
            File.WriteAllText(Path.Combine(dir, "trusted_server_keys"), "cert-authority " + userCa.PublicKey.ToOpenSshString("user-ca") + "\n");
        }, context => CallBack(context, server.Port));

        Assert.Equal((0, ""), (exitCode, error));
        Assert.Contains($"Command: echo certified\nReturn code: 0\nStdout:\ncertified\n", server.Out.Text, StringComparison.Ordinal);
        Assert.Equal("", server.Error.Text);
    }

    [Theory]
    [InlineData("reverse_server", "server_key", "Cannot read client key file 'server_key': no such file.")]
    [InlineData("reverse_server", "trusted_client_host_keys", "Cannot read known hosts file 'trusted_client_host_keys': no such file.")]
    [InlineData("reverse_client", "client_host_key", "Cannot read host key file 'client_host_key': no such file.")]
    [InlineData("reverse_client", "trusted_server_keys", "Cannot read authorized keys file 'trusted_server_keys': no such file.")]
    public async Task Missing_file_is_one_line_on_stderr_and_exit_code_1(string sample, string missing, string message)
    {
        (int exitCode, string output, string error) = await SampleServer.RunUntilExitAsync(sample, dir =>
        {
            WriteServerFiles(dir);
            WriteClientFiles(dir);
            File.Delete(Path.Combine(dir, missing));
        }, context => context with { Port = 1, Listen = "127.0.0.1" });

        Assert.Equal((1, "", message + "\n"), (exitCode, output, error));
    }

    [Fact]
    public void Both_samples_are_listed()
    {
        Assert.NotNull(SampleCatalog.Find("reverse_server"));
        Assert.NotNull(SampleCatalog.Find("reverse_client"));
    }

    /// <summary>The reverse_server side: <c>server_key</c> and a <c>trusted_client_host_keys</c> trusting the client's host key at 127.0.0.1.</summary>
    private static void WriteServerFiles(string directory)
    {
        ServerKey.Value.Save(Path.Combine(directory, "server_key"));
        File.WriteAllText(Path.Combine(directory, "trusted_client_host_keys"), KnownHostsFile.FormatEntry("127.0.0.1", 22, ClientHostKey.Value.PublicKey, hashed: false) + "\n");
    }

    /// <summary>The reverse_client side: <c>client_host_key</c> and a <c>trusted_server_keys</c> listing <c>server_key</c>.</summary>
    private static void WriteClientFiles(string directory)
    {
        ClientHostKey.Value.Save(Path.Combine(directory, "client_host_key"));
        File.WriteAllText(Path.Combine(directory, "trusted_server_keys"), ServerKey.Value.PublicKey.ToOpenSshString("server") + "\n");
    }

    private static SampleContext CallBack(SampleContext context, int port) => context with { Host = "127.0.0.1", Port = port, Listen = null };
}
