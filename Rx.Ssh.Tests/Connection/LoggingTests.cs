using Microsoft.Extensions.Logging;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Issue 16, item 3: an <see cref="ILoggerFactory"/> gets one category per layer and an event id on
/// every entry, with OpenSSH -v-like detail at Debug, and never a secret.
/// </summary>
public sealed class LoggingTests
{
    private const string Password = "correct horse battery staple 7f3a";

    [Fact]
    public async Task Each_layer_logs_under_its_category_with_event_ids_and_no_secrets()
    {
        var serverLogs = new LogCollector();
        var clientLogs = new LogCollector();
        SshServerOptions server = InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("hi\n")) with
        {
            LoggerFactory = serverLogs,
            PasswordValidator = (_, password) => ValueTask.FromResult(password == Password),
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { LoggerFactory = clientLogs, Password = Password };
        await using (InMemoryServer pair = await InMemoryServer.StartAsync(server, client))
        {
            Assert.Equal("hi\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        }

        await serverLogs.WaitForLineAsync("closed").WaitAsync(TestTimeout.Default);
        await clientLogs.WaitForLineAsync("closed").WaitAsync(TestTimeout.Default);

        AssertHas(serverLogs, SshLogCategories.Transport, SshLogEvents.Transport.RemoteVersion, LogLevel.Debug);
        AssertHas(serverLogs, SshLogCategories.Transport, SshLogEvents.Transport.KeyExchangeDone, LogLevel.Debug);
        AssertHas(serverLogs, SshLogCategories.Authentication, SshLogEvents.Authentication.AuthAccepted, LogLevel.Information);
        AssertHas(serverLogs, SshLogCategories.Connection, SshLogEvents.Connection.ChannelOpened, LogLevel.Debug);
        AssertHas(clientLogs, SshLogCategories.Authentication, SshLogEvents.Authentication.MethodTried, LogLevel.Debug);
        AssertHas(clientLogs, SshLogCategories.Authentication, SshLogEvents.Authentication.Authenticated, LogLevel.Debug);
        AssertHas(clientLogs, SshLogCategories.Connection, SshLogEvents.Connection.ChannelClosed, LogLevel.Debug);

        foreach (LogCollector logs in new[] { serverLogs, clientLogs })
        {
            Assert.All(logs.Entries, e =>
            {
                Assert.StartsWith("Rx.Ssh.", e.Category, StringComparison.Ordinal);
                Assert.NotEqual(0, e.EventId.Id);
                Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public void Event_ids_are_unique_and_in_their_layers_range()
    {
        var seen = new HashSet<int>();
        foreach ((Type layer, int from) in new[] { (typeof(SshLogEvents.Transport), 1000), (typeof(SshLogEvents.Authentication), 2000), (typeof(SshLogEvents.Connection), 3000), (typeof(SshLogEvents.Forwarding), 4000), (typeof(SshLogEvents.Server), 5000), (typeof(SshLogEvents.Client), 6000) })
        {
            foreach (System.Reflection.FieldInfo field in layer.GetFields())
            {
                var id = (EventId)field.GetValue(null)!;
                Assert.InRange(id.Id, from, from + 999);
                Assert.Equal(field.Name, id.Name);
                Assert.True(seen.Add(id.Id), $"{field.Name}: id {id.Id} used twice");
            }
        }
    }

    [Fact]
    public async Task A_single_logger_gets_every_category_when_no_factory_is_set()
    {
        var logs = new LogCollector();
        ILogger single = logs.CreateLogger("app");
        await using (InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("x")) with { Logger = single }))
        {
            await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default);
        }

        await logs.WaitForLineAsync("closed").WaitAsync(TestTimeout.Default);
        Assert.All(logs.Entries, e => Assert.Equal("app", e.Category));
        Assert.Contains(logs.Entries, e => e.EventId == SshLogEvents.Transport.KeyExchangeDone);
    }

    [Fact]
    public void The_configurations_notes_go_to_the_factorys_client_category()
    {
        var logs = new LogCollector();
        var options = new SshClientOptions { LoggerFactory = logs, Config = SshConfig.Parse("Host h\n  FrobnicateWidgets yes\n", "test_config") };

        _ = Rx.Ssh.Client.Config.ConfiguredConnect.Resolve("h", 22, options);

        AssertHas(logs, SshLogCategories.Client, SshLogEvents.Client.ConfigKeywordIgnored, LogLevel.Debug);
    }

    private static void AssertHas(LogCollector logs, string category, EventId id, LogLevel level) =>
        Assert.Contains(logs.Entries, e => e.Category == category && e.EventId == id && e.Level == level);
}
