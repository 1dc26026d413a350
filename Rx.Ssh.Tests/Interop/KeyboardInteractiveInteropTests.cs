using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Client keyboard-interactive against sshd: sshd only offers it through PAM, so this sshd runs
/// with <c>UsePAM yes</c> (pam_unix then asks for the password from the private shadow file).
/// </summary>
public sealed class KeyboardInteractiveInteropTests
{
    private const string Password = "rx kbd #1";

    private static Task<SshdServer> StartAsync() => SshdServer.StartAsync(new SshdOptions
    {
        KbdInteractiveAuthentication = true,
        UserPassword = Password,
        AuthorizedKeys = [],
        ExtraLines = ["UsePAM yes"],
    });

    private static SshClientOptions KbdIntOnly(SshdServer server, Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>> answer) =>
        ClientInterop.Options(server) with { KeyFiles = [], KeyboardInteractive = answer };

    [Fact]
    public async Task Pams_password_prompt_reaches_the_callback_and_the_answer_logs_in()
    {
        await using SshdServer server = await StartAsync();
        var seen = new List<SshKeyboardInteractiveChallenge>();
        var responder = SshKeyboardInteractive.PasswordResponder(Password);
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, KbdIntOnly(server, (challenge, ct) =>
        {
            seen.Add(challenge);
            return responder(challenge, ct);
        }));

        Assert.Equal("in\n", (await conn.RunAsync("echo in").WaitAsync(TestTimeout.Default)).Stdout);
        SshPrompt prompt = Assert.Single(seen.SelectMany(c => c.Prompts));
        Assert.Contains("assword", prompt.Text, StringComparison.Ordinal);
        Assert.False(prompt.Echo);
        await server.Log.WaitForLineAsync(line => line.StartsWith("Accepted keyboard-interactive/pam for " + SshdServer.UserName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_answer_is_permission_denied()
    {
        await using SshdServer server = await StartAsync();

        SshPermissionDeniedException ex = await Assert.ThrowsAsync<SshPermissionDeniedException>(
            () => ClientInterop.ConnectAsync(server, KbdIntOnly(server, SshKeyboardInteractive.PasswordResponder("not it"))));

        Assert.Contains("keyboard-interactive", ex.AllowedMethods);
    }
}
