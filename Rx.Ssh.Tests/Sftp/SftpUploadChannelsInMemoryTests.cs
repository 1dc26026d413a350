using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// <see cref="SftpTransferOptions.UploadChannels"/> against our SFTP server in memory, in virtual
/// time: a server that accepts the extra sessions but never answers on them costs the upload the
/// start timeout, not the upload.
/// </summary>
public sealed class SftpUploadChannelsInMemoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rxssh-sftpchannels-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Extra_sessions_that_never_answer_are_given_up_after_the_start_timeout_and_the_upload_completes_on_one()
    {
        SshSubsystemHandler sftp = SftpSubsystem.Create(new SftpServerOptions { Root = _root });
        int sessions = 0;
        var silentStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler>
            {
                // The first session speaks SFTP; every later one accepts the request and then says nothing.
                [SftpSubsystem.Name] = (subsystem, ct) =>
                {
                    int session = Interlocked.Increment(ref sessions);
                    if (session == 1)
                    {
                        return sftp(subsystem, ct);
                    }

                    if (session == 3)
                    {
                        silentStarted.TrySetResult(); // both extra sessions are up
                    }

                    return Task.Delay(Timeout.Infinite, ct);
                },
            },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server);
        var clock = new VirtualClock();
        await using SftpClient client = await pair.Client.StartSftpClientAsync(new SftpClientOptions { Scheduler = clock }).WithTimeout();
        string source = Path.Combine(_root, "source.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, 3 * 1024 * 1024 + 17);

        Task<SftpProgress> put = client.PutAsync(source, "/copy.bin", new SftpTransferOptions { UploadChannels = 3 });
        await silentStarted.Task.WithTimeout();

        // Both extra sessions are waiting for a VERSION that never comes, and the upload waits for them.
        Assert.False(put.IsCompleted);
        clock.AdvanceBy(SftpClient.SiblingStartTimeout);

        SftpProgress done = await put.WithTimeout();
        Assert.Equal(3 * 1024 * 1024 + 17, done.BytesDone);
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(_root, "copy.bin")));
        Assert.Equal(3, Volatile.Read(ref sessions));
    }
}
