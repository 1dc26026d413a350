using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>OpenSSH's ssh logging in to the Rx.Ssh server with a password and with keyboard-interactive.</summary>
public sealed class ServerInteropAuthTests : IAsyncLifetime
{
    private const string Password = "open sesame #1";
    private readonly string _askpassLog = Path.Combine(Path.GetTempPath(), "rxssh-askpass-" + Guid.NewGuid().ToString("N") + ".log");
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            ProcessHandler = ServerInteropCommands.HandleAsync,
            PasswordValidator = (context, password) => ValueTask.FromResult(context.UserName == RxSshServerUnderTest.UserName && password == Password),
            AuthFailureDelay = TimeSpan.Zero,
        });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        File.Delete(_askpassLog);
    }

    private OpenSshClient PasswordClient(string password, string method) => Server.Client() with
    {
        IdentityFile = null,
        Password = password,
        AskpassLogFile = _askpassLog,
        PreferredAuthentications = [method],
        Options = ["LogLevel=DEBUG1"],
    };

    [Fact]
    public async Task The_right_password_logs_in()
    {
        ProcessResult result = await PasswordClient(Password, "password").RunAsync("hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello tester\n", result.StdoutText);
        Assert.Contains("using \"password\"", result.Stderr, StringComparison.Ordinal);
        Assert.Equal([$"{RxSshServerUnderTest.UserName}@127.0.0.1's password: "], await File.ReadAllLinesAsync(_askpassLog));
    }

    [Fact]
    public async Task A_wrong_password_is_denied()
    {
        ProcessResult result = await PasswordClient("not it", "password").RunAsync("hello");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Empty(result.Stdout);
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyboard_interactive_asks_for_the_password()
    {
        ProcessResult result = await PasswordClient(Password, "keyboard-interactive").RunAsync("hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello tester\n", result.StdoutText);
        Assert.Contains("using \"keyboard-interactive\"", result.Stderr, StringComparison.Ordinal);
        string prompt = Assert.Single(await File.ReadAllLinesAsync(_askpassLog));
        Assert.EndsWith("Password: ", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyboard_interactive_with_a_wrong_password_is_denied()
    {
        ProcessResult result = await PasswordClient("not it", "keyboard-interactive").RunAsync("hello");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_not_authorized_is_denied_and_the_server_offers_the_methods_it_has()
    {
        ProcessResult result = await Server.Client().RunAsync("hello");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Contains("Permission denied (keyboard-interactive,password)", result.Stderr, StringComparison.Ordinal);
    }
}
