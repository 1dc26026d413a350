using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading.Channels;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// The lifetimes of <see cref="SftpClientExtensions.UsingSftp"/> on an <see cref="SshHost"/> and
/// <see cref="SftpClientExtensions.Sftp"/> on a connection: cold (nothing happens before a
/// subscription, each subscription its own session), the work mirrored, and the end (completion,
/// error, disposal) closing the session, and for <c>UsingSftp</c> the connection. Against our
/// SFTP server in memory, with the server side's sessions and connections observed.
/// </summary>
public sealed class SftpClientLifetimeTests : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rxssh-sftplife-").FullName;
    private readonly Channel<SshServerConnection> _connections = Channel.CreateUnbounded<SshServerConnection>();
    private readonly Channel<Task> _sessions = Channel.CreateUnbounded<Task>();
    private readonly InMemorySshServer _server;
    private readonly IDisposable _connectionLog;
    private readonly CancellationTokenSource _endSessions = new();

    public SftpClientLifetimeTests()
    {
        SshSubsystemHandler sftp = SftpSubsystem.Create(new SftpServerOptions { Root = _root });
        _server = new InMemorySshServer(InMemoryServer.DefaultServerOptions() with
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler>
            {
                // Each session's run is logged; cancelling _endSessions ends the running ones from the server side.
                [SftpSubsystem.Name] = (subsystem, ct) =>
                {
                    var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _endSessions.Token);
                    Task run = sftp(subsystem, linked.Token).ContinueWith(t => { linked.Dispose(); return t; }, TaskScheduler.Default).Unwrap();
                    _sessions.Writer.TryWrite(run);
                    return run;
                },
            },
        });
        _connectionLog = _server.Connections.Subscribe(c => _connections.Writer.TryWrite(c));
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "hello");
    }

    public async ValueTask DisposeAsync()
    {
        _connectionLog.Dispose();
        await _server.DisposeAsync();
        _endSessions.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task UsingSftp_connects_and_starts_a_session_per_subscription_mirrors_the_work_and_closes_both_at_the_end()
    {
        SshHost host = _server.GetHost(InMemoryServer.DefaultClientOptions());
        IObservable<ulong> sizes = host.UsingSftp(sftp => Observable.FromAsync(async ct => (await sftp.StatAsync("/hello.txt", ct)).Size ?? 0));

        // Cold: building it connected nothing.
        Assert.False(_connections.Reader.TryRead(out _));
        Assert.Equal(0, _server.ActiveConnections);

        for (int run = 0; run < 2; run++)
        {
            Assert.Equal([5UL], await sizes.ToList().WithTimeout());

            // Each subscription had its own connection and session; both ended before the completion.
            SshServerConnection connection = await _connections.Reader.ReadAsync().AsTask().WithTimeout();
            Task session = await _sessions.Reader.ReadAsync().AsTask().WithTimeout();
            await session.WithTimeout();
            await connection.Completion.WithTimeout();
            Assert.False(_connections.Reader.TryRead(out _));
        }
    }

    [Fact]
    public async Task Disposing_a_UsingSftp_subscription_ends_the_session_and_the_connection()
    {
        SshHost host = _server.GetHost(InMemoryServer.DefaultClientOptions());
        var started = new TaskCompletionSource<SftpClient>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription = host.UsingSftp(sftp =>
        {
            started.SetResult(sftp);
            return Observable.Never<int>();
        }).Finally(ended.SetResult).Subscribe();

        SftpClient client = await started.Task.WithTimeout();
        SshServerConnection connection = await _connections.Reader.ReadAsync().AsTask().WithTimeout();
        Task session = await _sessions.Reader.ReadAsync().AsTask().WithTimeout();
        Assert.False(session.IsCompleted);

        subscription.Dispose();
        await ended.Task.WithTimeout();
        await session.WithTimeout();
        await connection.Completion.WithTimeout();
        await client.Closed.WithTimeout();
        await Assert.ThrowsAnyAsync<Exception>(() => client.StatAsync("/hello.txt").WithTimeout());
    }

    [Fact]
    public async Task A_failing_UsingSftp_work_passes_its_error_on_after_closing_the_connection()
    {
        SshHost host = _server.GetHost(InMemoryServer.DefaultClientOptions());
        SftpException missing = await Assert.ThrowsAsync<SftpException>(() =>
            host.UsingSftp(sftp => Observable.FromAsync(ct => sftp.StatAsync("/missing", ct))).ToTask().WithTimeout());
        Assert.Equal(SftpStatusCode.NoSuchFile, missing.Code);

        SshServerConnection connection = await _connections.Reader.ReadAsync().AsTask().WithTimeout();
        await connection.Completion.WithTimeout();
        await (await _sessions.Reader.ReadAsync().AsTask().WithTimeout()).WithTimeout();
    }

    [Fact]
    public async Task Connection_Sftp_is_cold_emits_a_working_session_and_disposal_closes_only_the_session()
    {
        await using SshClientConnection connection = await _server.ConnectAsync(InMemoryServer.DefaultClientOptions());
        IObservable<SftpClient> sessions = connection.Sftp();
        Assert.False(_sessions.Reader.TryRead(out _));

        var emitted = new TaskCompletionSource<SftpClient>(TaskCreationOptions.RunContinuationsAsynchronously);
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription = sessions.Subscribe(emitted.SetResult, e => completed.SetException(e), completed.SetResult);
        SftpClient first = await emitted.Task.WithTimeout();
        Task firstSession = await _sessions.Reader.ReadAsync().AsTask().WithTimeout();
        Assert.Equal(5UL, (await first.StatAsync("/hello.txt").WithTimeout()).Size);
        Assert.False(completed.Task.IsCompleted);

        subscription.Dispose();
        await firstSession.WithTimeout();
        await first.Closed.WithTimeout();
        Assert.False(completed.Task.IsCompleted); // disposed, not completed

        // The connection is still usable: a second subscription is a second session.
        SftpClient second = await sessions.Take(1).WithTimeout();
        Assert.NotSame(first, second);
        Assert.False(connection.Completion.IsCompleted);
    }

    [Fact]
    public async Task Connection_Sftp_completes_when_the_server_ends_the_session()
    {
        await using SshClientConnection connection = await _server.ConnectAsync(InMemoryServer.DefaultClientOptions());
        var emitted = new TaskCompletionSource<SftpClient>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<IList<SftpClient>> all = connection.Sftp().Do(emitted.SetResult).ToList().ToTask();
        SftpClient client = await emitted.Task.WithTimeout();
        await _sessions.Reader.ReadAsync().AsTask().WithTimeout();

        await _endSessions.CancelAsync();
        Assert.Equal([client], await all.WithTimeout());
        await client.Closed.WithTimeout();
        Assert.False(connection.Completion.IsCompleted);
    }
}
