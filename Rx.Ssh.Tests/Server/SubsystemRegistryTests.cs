using System.Buffers.Binary;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.External;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;
using Xunit;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// Subsystems from outside the library: the server's registry (<see cref="SshServerOptions.Subsystems"/>)
/// with the handler in Rx.Ssh.Tests.External, started with <see cref="SshClientConnection.OpenSubsystemAsync(string, CancellationToken)"/>
/// from that assembly too; precedence over the session, refusal of unknown names, forced commands.
/// </summary>
public sealed class SubsystemRegistryTests
{
    private static readonly Lazy<SshPrivateKey> Key = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    private static SshServerOptions WithUppercase(SshServerOptions options) => options with
    {
        Subsystems = new Dictionary<string, SshSubsystemHandler> { [UppercaseSubsystem.Name] = UppercaseSubsystem.ServeAsync },
    };

    [Fact]
    public async Task A_subsystem_from_another_assembly_serves_a_client_from_another_assembly()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(WithUppercase(InMemoryServer.DefaultServerOptions()));

        byte[] output = await SubsystemClient.ExchangeAsync(pair.Client, UppercaseSubsystem.Name, Encoding.UTF8.GetBytes("<hello>netconf</hello>")).WithTimeout();

        Assert.Equal("<HELLO>NETCONF</HELLO>", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public async Task The_subsystem_ends_with_its_exit_status_then_eof_and_close()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(WithUppercase(InMemoryServer.DefaultServerOptions()));
        await using SshChannelStream channel = await pair.Client.OpenSubsystemAsync(UppercaseSubsystem.Name, CancellationToken.None).WithTimeout();
        Assert.Equal("session", channel.ChannelType);
        Task<IList<SshChannelEvent>> events = channel.Events.ToList().ToTask();

        await channel.WriteAsync(Encoding.UTF8.GetBytes("abc"));
        await channel.CompleteWritingAsync();

        AssertDataThenExitEofClose(await events.WithTimeout(), "ABC", UppercaseSubsystem.ExitStatus);
    }

    /// <summary>
    /// The order matters to Dropbear's dbclient: it sends CLOSE once it has EOF both ways and drops
    /// every channel request after that, so an exit-status behind EOF was sometimes lost.
    /// </summary>
    [Fact]
    public async Task An_exec_session_sends_its_exit_status_before_eof_and_close()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("ran " + p.Command);
            p.ExitStatus = 4;
        }));
        await using SshChannelStream channel = await pair.Client.OpenChannelAsync("session", ReadOnlyMemory<byte>.Empty).WithTimeout();
        Task<IList<SshChannelEvent>> events = channel.Events.ToList().ToTask();
        await channel.CompleteWritingAsync();

        Assert.True(await channel.SendRequestAsync("exec", WireString("true"), wantReply: true).WithTimeout());

        AssertDataThenExitEofClose(await events.WithTimeout(), "ran true", 4);
    }

    /// <summary>The session's events are <paramref name="text"/>, then exit-status <paramref name="status"/>, EOF and CLOSE, in that order.</summary>
    private static void AssertDataThenExitEofClose(IList<SshChannelEvent> seen, string text, int status) =>
        Assert.Collection(
            seen,
            e => Assert.Equal(text, Encoding.UTF8.GetString(Assert.IsType<SshChannelDataReceived>(e).Data.Span)),
            e =>
            {
                var exit = Assert.IsType<SshChannelRequestReceived>(e);
                Assert.Equal("exit-status", exit.RequestType);
                Assert.Equal(status, (int)BinaryPrimitives.ReadUInt32BigEndian(exit.Data.Span));
            },
            e => Assert.IsType<SshChannelEofReceived>(e),
            e => Assert.IsType<SshChannelClosed>(e));

    private static byte[] WireString(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var wire = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(wire, (uint)bytes.Length);
        bytes.CopyTo(wire, 4);
        return wire;
    }

    [Fact]
    public async Task Registered_subsystems_come_before_the_process_handler_and_other_names_still_reach_it()
    {
        SshServerOptions options = WithUppercase(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("process ran " + p.Subsystem)));
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);

        byte[] registered = await SubsystemClient.ExchangeAsync(pair.Client, UppercaseSubsystem.Name, Encoding.UTF8.GetBytes("mine")).WithTimeout();
        byte[] other = await SubsystemClient.ExchangeAsync(pair.Client, "other", default).WithTimeout();

        Assert.Equal("MINE", Encoding.UTF8.GetString(registered));
        Assert.Equal("process ran other", Encoding.UTF8.GetString(other));
    }

    [Fact]
    public async Task An_unknown_subsystem_is_refused_and_the_connection_lives_on()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(WithUppercase(InMemoryServer.DefaultServerOptions()));

        SshChannelRequestException refused = await Assert.ThrowsAsync<SshChannelRequestException>(() => pair.Client.OpenSubsystemAsync("sftp", CancellationToken.None).WithTimeout());
        Assert.Equal("subsystem", refused.RequestType);

        // Without a process handler, shell and exec are refused too; the registered subsystem still runs.
        await Assert.ThrowsAsync<SshChannelRequestException>(() => pair.Client.RunAsync("echo hi").WithTimeout());
        byte[] output = await SubsystemClient.ExchangeAsync(pair.Client, UppercaseSubsystem.Name, Encoding.UTF8.GetBytes("ok")).WithTimeout();
        Assert.Equal("OK", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public async Task A_forced_command_replaces_a_registered_subsystem()
    {
        string line = "command=\"/usr/local/bin/backup\" " + Key.Value.PublicKey.ToOpenSshString("k") + "\n";
        var seen = new TaskCompletionSource<ServerKeyOptionsTests.StartedAs>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions server = WithUppercase(InMemoryServer.DefaultServerOptions(p => ServerKeyOptionsTests.Record(p, seen))) with
        {
            PasswordValidator = null,
            AuthorizedKeys = user => AuthorizedKeysFile.Parse(line),
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [Key.Value] };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        await using SshChannelStream channel = await pair.Client.OpenSubsystemAsync(UppercaseSubsystem.Name, CancellationToken.None).WithTimeout();

        Assert.Equal(new ServerKeyOptionsTests.StartedAs("exec", "/usr/local/bin/backup", null, UppercaseSubsystem.Name), await seen.Task.WithTimeout());
    }

    [Fact]
    public async Task A_throwing_subsystem_exits_with_status_one()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler> { ["broken"] = (_, _) => throw new InvalidOperationException("secret detail") },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);
        await using SshChannelStream channel = await pair.Client.OpenSubsystemAsync("broken", CancellationToken.None).WithTimeout();

        IList<SshChannelEvent> seen = await channel.Events.ToList().ToTask().WithTimeout();

        var exit = Assert.Single(seen.OfType<SshChannelRequestReceived>());
        Assert.Equal(1, (int)BinaryPrimitives.ReadUInt32BigEndian(exit.Data.Span));
        Assert.DoesNotContain(seen.OfType<SshChannelDataReceived>(), d => Encoding.UTF8.GetString(d.Data.Span).Contains("secret", StringComparison.Ordinal));
        Assert.IsType<SshChannelClosed>(seen[^1]);
    }
}
