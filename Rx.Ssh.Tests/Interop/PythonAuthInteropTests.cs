using System.Globalization;
using System.Text.Json;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Password and keyboard-interactive logins from Python's SSH libraries to an Rx.Ssh server (in-process,
/// free loopback port, no public keys accepted): Paramiko's password authentication and AsyncSSH's
/// keyboard-interactive (two prompts in one round, answered by the script), each right and wrong.
/// </summary>
public sealed class PythonAuthInteropTests : IAsyncLifetime
{
    private const string Secret = "s3cret horse";
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() => _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
    {
        PasswordValidator = (context, password) => ValueTask.FromResult(context.UserName == RxSshServerUnderTest.UserName && password == Secret),
        KeyboardInteractiveChallenge = _ => ValueTask.FromResult<SshKeyboardInteractiveChallenge?>(
            new SshKeyboardInteractiveChallenge("Login", "Two questions", [new SshPrompt("Code: ", Echo: true), new SshPrompt("PIN: ")])),
        KeyboardInteractiveValidator = (context, answers) =>
            ValueTask.FromResult<SshKeyboardInteractiveResult>(context.UserName == RxSshServerUnderTest.UserName && answers is [Secret, Secret]),
        AuthFailureDelay = TimeSpan.Zero,
        ProcessHandler = async p => await p.Stdout.WriteAsync($"hello {p.UserName}, you ran {p.Command}\n"),
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private string[] Login(string secret) =>
        [Server.Port.ToString(CultureInfo.InvariantCulture), RxSshServerUnderTest.UserName, secret, Server.KnownHostsPath, "id"];

    [Fact]
    public async Task Paramiko_logs_in_with_a_password()
    {
        JsonElement result = await PythonSsh.RunAsync("paramiko", "paramiko_client.py", ["password", .. Login(Secret)]);

        Assert.Equal("hello tester, you ran id\n", result.Text("stdout"));
        Assert.Equal(0, result.Number("status"));
    }

    [Fact]
    public async Task Paramiko_with_a_wrong_password_is_denied()
    {
        JsonElement result = await PythonSsh.RunAsync("paramiko", "paramiko_client.py", ["password", .. Login("wrong")]);

        Assert.True(result.GetProperty("denied").GetBoolean());
    }

    [Fact]
    public async Task Asyncssh_logs_in_with_keyboard_interactive()
    {
        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", ["kbdint", .. Login(Secret)]);

        Assert.Equal("hello tester, you ran id\n", result.Text("stdout"));
        JsonElement round = Assert.Single(result.GetProperty("prompts").EnumerateArray());
        Assert.Equal(["Code: ", "PIN: "], round.EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Asyncssh_with_wrong_answers_is_denied()
    {
        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", ["kbdint", .. Login("wrong")]);

        Assert.NotEmpty(result.Text("denied"));
        Assert.NotEmpty(result.GetProperty("prompts").EnumerateArray());
    }
}
