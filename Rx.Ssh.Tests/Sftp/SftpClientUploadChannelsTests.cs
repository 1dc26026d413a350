using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Runtime.Versioning;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// One file's upload spread over several SFTP sessions (<see cref="SftpTransferOptions.UploadChannels"/>)
/// against OpenSSH's sftp-server: the content, the sessions used, and a server that allows fewer
/// sessions than asked for (the prefix an interrupted upload leaves is in <see cref="SftpClientTransferTests"/>).
/// </summary>
[Collection(SftpSshdCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class SftpClientUploadChannelsTests(SftpSshdFixture fixture)
{
    private const int Size = 64 * 1024 * 1024 + 4321;

    [Fact]
    public async Task An_upload_through_four_channels_keeps_sha256_and_writes_through_each_session()
    {
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "source.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, Size);
        string remote = Path.Combine(dir, "remote.bin");
        var logs = new LogCollector(SshLogEvents.Connection.ChannelClosed);
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(fixture.Server, ClientInterop.Options(fixture.Server) with { LoggerFactory = logs });
        await using SftpClient client = await connection.StartSftpClientAsync().WithTimeout();
        Task<IList<LogEntry>> siblingsClosed = SessionsClosed(logs, withData: true, 3);

        SftpProgress put = await client.PutAsync(source, remote, new SftpTransferOptions { UploadChannels = 4 }).WaitAsync(TestTimeout.Long);

        Assert.Equal((Size, Size, 1), (put.BytesDone, put.TotalBytes, put.FilesDone));
        Assert.Equal(hash, SftpTestFiles.Sha256(remote));

        // The three extra sessions carried requests (each got replies) and were closed after the file.
        IList<LogEntry> closed = await siblingsClosed.WaitAsync(TestTimeout.Default);
        Assert.All(closed, e => Assert.True(e.Value<long>("Bytes") > 0));
        Assert.Empty(SftpTestFiles.ProcessesWithOpen(remote));
    }

    [Fact]
    public async Task A_server_allowing_two_sessions_gets_the_upload_through_the_one_extra_it_accepts()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { SftpSubsystem = SshdOptions.SftpServerPath, ExtraLines = ["MaxSessions 2"] });
        string dir = Directory.CreateTempSubdirectory("rxsftp-sessions-").FullName;
        try
        {
            string source = Path.Combine(dir, "source.bin");
            byte[] hash = SftpTestFiles.WriteRandomFile(source, Size);
            string remote = Path.Combine(dir, "remote.bin");
            var logs = new LogCollector(SshLogEvents.Connection.ChannelClosed);
            await using SshClientConnection connection = await ClientInterop.ConnectAsync(server, ClientInterop.Options(server) with { LoggerFactory = logs });
            await using SftpClient client = await connection.StartSftpClientAsync().WithTimeout();
            Task<IList<LogEntry>> refused = SessionsClosed(logs, withData: false, 2);
            Task<IList<LogEntry>> used = SessionsClosed(logs, withData: true, 1);

            SftpProgress put = await client.PutAsync(source, remote, new SftpTransferOptions { UploadChannels = 4 }).WaitAsync(TestTimeout.Long);

            Assert.Equal(Size, put.BytesDone);
            Assert.Equal(hash, SftpTestFiles.Sha256(remote));
            await refused.WaitAsync(TestTimeout.Default);
            await used.WaitAsync(TestTimeout.Default);

            // The refusals cost the session nothing.
            Assert.True(await client.IsFileAsync(remote).WithTimeout());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The first <paramref name="count"/> session channels closed with (or without) data received.</summary>
    private static Task<IList<LogEntry>> SessionsClosed(LogCollector logs, bool withData, int count) =>
        logs.Observe(SshLogEvents.Connection.ChannelClosed)
            .Where(e => e.Value<string>("Type") == "session" && (e.Value<long>("Bytes") > 0) == withData)
            .Take(count)
            .ToList()
            .ToTask();
}
