using System.Diagnostics;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Bulk data between OpenSSH's ssh and the Rx.Ssh server (100 MB each way, SHA-256 checked), and
/// a client killed in the middle of an upload.
/// </summary>
public sealed class ServerInteropTransferTests : IAsyncLifetime
{
    private const long Size = 100L * 1024 * 1024;
    private readonly TaskCompletionSource<SshServerProcess> _uploadUnderway = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(long Bytes, bool Closed)> _uploadEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = HandleAsync });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private async Task HandleAsync(SshServerProcess process)
    {
        if (process.Command != "upload")
        {
            await ServerInteropCommands.HandleAsync(process);
            return;
        }

        // Reads until the input ends, however it ends, and reports how much came and whether the channel closed.
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            int n;
            while ((n = await process.Stdin.ReadAsync(buffer)) > 0)
            {
                total += n;
                if (total >= 4 * 1024 * 1024)
                {
                    _uploadUnderway.TrySetResult(process);
                }
            }
        }
        finally
        {
            _uploadEnded.TrySetResult((total, process.Closed.IsCancellationRequested));
        }
    }

    [Fact]
    public async Task A_hundred_megabytes_upload_intact()
    {
        OpenSshClient ssh = Server.Client() with { Timeout = TestTimeout.Long };
        using var input = new GeneratedStream(Size, seed: 11);

        ProcessResult result = await ssh.RunAsync("sha256", input, null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"{Size} {Convert.ToHexStringLower(GeneratedStream.ComputeSha256(Size, seed: 11))}\n", result.StdoutText);
    }

    [Fact]
    public async Task A_hundred_megabytes_download_intact()
    {
        OpenSshClient ssh = Server.Client() with { Timeout = TestTimeout.Long };
        using var sink = new Sha256Sink();

        ProcessResult result = await ssh.RunAsync($"generate {Size} 12", null, sink);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Size, sink.BytesWritten);
        Assert.Equal(Convert.ToHexStringLower(GeneratedStream.ComputeSha256(Size, seed: 12)), sink.GetHashHex());
    }

    [Fact]
    public async Task The_client_rekeys_during_transfers_both_ways()
    {
        const long size = 8L * 1024 * 1024;
        OpenSshClient ssh = Server.Client().WithOptions("RekeyLimit=1M", "LogLevel=DEBUG1");
        using var input = new GeneratedStream(size, seed: 14);

        ProcessResult up = await ssh.RunAsync("sha256", input, null);
        ProcessResult down = await ssh.RunAsync($"generate {size} 15", null, new Sha256Sink());

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal($"{size} {Convert.ToHexStringLower(GeneratedStream.ComputeSha256(size, seed: 14))}\n", up.StdoutText);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.True(CountNewKeys(up.Stderr) > 2, up.Stderr);
        Assert.True(CountNewKeys(down.Stderr) > 2, down.Stderr);
    }

    [Fact]
    public async Task The_server_rekeys_during_transfers_both_ways()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(
            new SshServerOptions { ProcessHandler = ServerInteropCommands.HandleAsync, RekeyBytes = 1024 * 1024 });
        const long size = 8L * 1024 * 1024;
        OpenSshClient ssh = server.Client().WithOptions("LogLevel=DEBUG1");
        using var input = new GeneratedStream(size, seed: 16);
        using var sink = new Sha256Sink();

        ProcessResult up = await ssh.RunAsync("sha256", input, null);
        ProcessResult down = await ssh.RunAsync($"generate {size} 17", null, sink);

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal($"{size} {Convert.ToHexStringLower(GeneratedStream.ComputeSha256(size, seed: 16))}\n", up.StdoutText);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal(Convert.ToHexStringLower(GeneratedStream.ComputeSha256(size, seed: 17)), sink.GetHashHex());
        Assert.True(CountNewKeys(up.Stderr) > 2, up.Stderr);
        Assert.True(CountNewKeys(down.Stderr) > 2, down.Stderr);
    }

    private static int CountNewKeys(string log) =>
        log.Split('\n').Count(l => l.Contains("SSH2_MSG_NEWKEYS received", StringComparison.Ordinal));

    [Fact]
    public async Task The_server_survives_a_client_killed_mid_upload()
    {
        using var input = new GeneratedStream(Size, seed: 13);
        using Process ssh = Process.Start(Server.Client().CreateStartInfo("upload"))!;
        Task feeding = FeedAsync(ssh, input);
        SshServerProcess process;
        try
        {
            process = await _uploadUnderway.Task.WithTimeout();
        }
        finally
        {
            // Killed by its PID while stdin is still open: the server sees the connection drop, not an EOF.
            ssh.Kill();
        }

        await ssh.WaitForExitAsync().WithTimeout();
        await feeding.WithTimeout();

        (long received, bool closed) = await _uploadEnded.Task.WithTimeout();
        Assert.InRange(received, 4 * 1024 * 1024, Size - 1);
        Assert.True(closed, "the process should see its channel closed");
        Assert.True(process.Closed.IsCancellationRequested);
        await process.Connection.Completion.WithTimeout();

        ProcessResult next = await Server.Client().RunAsync("hello");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal("hello tester\n", next.StdoutText);
    }

    private static async Task FeedAsync(Process ssh, Stream input)
    {
        try
        {
            await input.CopyToAsync(ssh.StandardInput.BaseStream);
        }
        catch (IOException)
        {
            // ssh was killed.
        }
    }
}
