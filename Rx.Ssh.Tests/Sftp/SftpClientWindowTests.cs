using System.Runtime.Versioning;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Interop;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// The SFTP channel's receive window grows when a download asks for more reads in flight than it
/// holds (against OpenSSH's sftp-server): a transfer's own depth, and the default depth's floor of
/// OpenSSH's 64 × 32 KiB worth, which a small window used to cap.
/// </summary>
[Collection(SftpSshdCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class SftpClientWindowTests(SftpSshdFixture fixture)
{
    [Fact]
    public async Task A_download_deeper_than_the_window_grows_it_to_hold_every_reply_in_flight()
    {
        string dir = fixture.NewDirectory();
        string remote = Path.Combine(dir, "f.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(remote, 12 * 1024 * 1024);
        var logs = new LogCollector();
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(fixture.Server, ClientInterop.Options(fixture.Server) with { LoggerFactory = logs });
        await using SftpClient client = await connection.StartSftpClientAsync(new SftpClientOptions { WindowSize = 1024 * 1024 }).WithTimeout();

        // 255 KiB blocks: the default depth is 1 MiB ÷ block = 4, raised to the floor of 2 MiB worth (9 reads).
        uint reply = (uint)client.ReadBlockSize + 13;
        await client.GetAsync(remote, Path.Combine(dir, "default.bin")).WithTimeout(TestTimeout.Long);
        Assert.Equal([9 * reply], Windows(logs));

        await client.GetAsync(remote, Path.Combine(dir, "deep.bin"), new SftpTransferOptions { MaxRequestsInFlight = 32 }).WithTimeout(TestTimeout.Long);
        Assert.Equal([9 * reply, 32 * reply], Windows(logs));

        // The window never shrinks: a shallower transfer leaves it.
        await client.GetAsync(remote, Path.Combine(dir, "default.bin"), new SftpTransferOptions { MaxRequestsInFlight = 2 }).WithTimeout(TestTimeout.Long);
        Assert.Equal([9 * reply, 32 * reply], Windows(logs));
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "deep.bin")));
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "default.bin")));
    }

    // The receive windows the client grew its channels to, in order (the window starts at 1 MiB, unlogged).
    private static uint[] Windows(LogCollector logs) =>
        [.. logs.Entries.Where(e => e.EventId == SshLogEvents.Connection.WindowGrown).Select(e => e.Value<uint>("Window"))];
}
