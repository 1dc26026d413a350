using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Redirection;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>Redirection of client processes running under OpenSSH's sshd.</summary>
[Collection(SshdCollection.Name)]
public sealed class RedirectionInteropTests : IDisposable
{
    private readonly SshdServer _server;
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-redirect-interop-").FullName;

    public RedirectionInteropTests(SshdFixture fixture) => _server = fixture.Server;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StringIntoTacAndItsOutputIntoAFile()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        string file = Path.Combine(_dir, "tac.txt");

        SshCompletedProcess result = await conn.RunAsync("tac", new SshProcessOptions { Stdin = SshSource.FromString("1\n2\n3\n"), Stdout = SshSink.ToFile(file) }).WaitAsync(TestTimeout.Default);

        Assert.Equal(0, result.ExitStatus);
        Assert.Equal("3\n2\n1\n", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task LocalProcessIntoRemoteTrIntoLocalProcess()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using Process wc = Process.Start(new ProcessStartInfo("wc", ["-l"]) { RedirectStandardInput = true, RedirectStandardOutput = true })!;
        using var upper = new MemoryStream();

        await using SshClientProcess tr = await conn.CreateProcessAsync("tr a-z A-Z").WaitAsync(TestTimeout.Default);
        await tr.RedirectAsync(SshSource.FromProcess(new ProcessStartInfo("printf", ["alpha\\nbeta\\n"])), SshSink.ToStream(upper, leaveOpen: true), SshSink.ToProcess(wc)).WaitAsync(TestTimeout.Default);

        Assert.Equal("ALPHA\nBETA\n", Encoding.UTF8.GetString(upper.ToArray()));
        Assert.Equal("0", (await wc.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeout.Default)).Trim()); // empty stderr went to wc
        Assert.True((await tr.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task ObservableAndStreamSources()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);

        SshCompletedProcess fromObservable = await conn.RunAsync("cat", new SshProcessOptions { Stdin = SshSource.FromObservable(Observable.Range(1, 3).Select(i => $"{i}\n")) }).WaitAsync(TestTimeout.Default);
        SshCompletedProcess fromStream = await conn.RunAsync("wc -c", new SshProcessOptions { Stdin = SshSource.FromStream(new MemoryStream(new byte[100_000])) }).WaitAsync(TestTimeout.Default);

        Assert.Equal("1\n2\n3\n", fromObservable.Stdout);
        Assert.Equal("100000", fromStream.Stdout.Trim());
    }

    [Fact]
    public async Task BytesAndFileSourcesIntoRemoteAndDiscardSinks()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        string input = Path.Combine(_dir, "in.txt");
        await File.WriteAllTextAsync(input, "b\na\n");

        await using SshClientProcess sort = await conn.CreateProcessAsync("sort").WaitAsync(TestTimeout.Default);
        Task<string> sorted = sort.Stdout.ReadToEndAsync();
        await using SshClientProcess first = await conn.CreateProcessAsync("cat; echo noise >&2", new SshProcessOptions
        {
            Stdin = SshSource.FromFile(input),
            Stdout = SshSink.ToRemote(sort),
            Stderr = SshSink.Discard,
        }).WaitAsync(TestTimeout.Default);
        SshCompletedProcess fromBytes = await conn.RunAsync("wc -c", new SshProcessOptions { Stdin = SshSource.FromBytes(new byte[12345]) }).WaitAsync(TestTimeout.Default);

        Assert.True((await first.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
        Assert.Equal("a\nb\n", await sorted.WaitAsync(TestTimeout.Default)); // EOF reached sort when cat's output ended
        Assert.Equal("12345", fromBytes.Stdout.Trim());
    }

    [Fact]
    public async Task RemoteToRemotePipeOfOneGibibyteKeepsEveryByte()
    {
        // Issue 5's figure: 1 GiB from one remote process into another, checked by sha256.
        const long size = 1L << 30;
        await using SshClientConnection first = await ClientInterop.ConnectAsync(_server);
        await using SshClientConnection second = await ClientInterop.ConnectAsync(_server);

        await using SshClientProcess source = await first.CreateProcessAsync($"seq 1 200000000 | head -c {size}", new SshProcessOptions { Stderr = SshSink.Discard }).WaitAsync(TestTimeout.Default);
        SshCompletedProcess digest = await second.RunAsync("sha256sum", new SshProcessOptions { Stdin = SshSource.FromRemote(source) }).WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(Sha256OfSeq(size), digest.Stdout.Split(' ')[0]);
        Assert.True((await source.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task ARemoteProcessEndingMidTransferFailsThePipe()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshClientProcess source = await conn.CreateProcessAsync("seq 1 100000000").WaitAsync(TestTimeout.Default);
        await using SshClientProcess victim = await conn.CreateProcessAsync("head -c 1000000 > /dev/null").WaitAsync(TestTimeout.Default);

        var error = await Assert.ThrowsAsync<SshRedirectException>(() => victim.RedirectAsync(stdin: SshSource.FromRemote(source)).WaitAsync(TestTimeout.Default));

        Assert.Equal(SshStandardStream.Stdin, error.Stream);
        Assert.IsAssignableFrom<SshChannelException>(error.InnerException);
        Assert.True((await victim.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
        Assert.Equal("ok\n", (await conn.RunAsync("echo ok").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task ADestinationFailingMidStreamFailsTheRunWithItsCause()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var full = new GatedStream(gated: false, failAfter: 256 * 1024);

        var error = await Assert.ThrowsAsync<SshRedirectException>(() => conn.RunAsync("seq 1 1000000; echo done >&2", new SshProcessOptions { Stdout = SshSink.ToStream(full) }).WaitAsync(TestTimeout.Default));

        Assert.Equal(SshStandardStream.Stdout, error.Stream);
        Assert.IsType<IOException>(error.InnerException);
    }

    /// <summary>The sha256 (hex) of the first <paramref name="size"/> bytes of <c>seq 1 ...</c>.</summary>
    private static string Sha256OfSeq(long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = new StringBuilder();
        long left = size;
        for (long i = 1; left > 0; i++)
        {
            block.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (block.Length >= 64 * 1024 || i % 100_000 == 0)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(block.ToString());
                int n = (int)Math.Min(bytes.Length, left);
                hash.AppendData(bytes, 0, n);
                left -= n;
                block.Clear();
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
