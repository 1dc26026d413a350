using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Security.Cryptography;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>Remote-to-remote copy (server-side copy-data, and piped between two sessions) and the seekable remote <see cref="SftpFileStream"/>.</summary>
[Collection(SftpSshdCollection.Name)]
public sealed class SftpClientStreamAndCopyTests(SftpSshdFixture fixture)
{
    private SftpClient Client => fixture.Client;

    [Fact]
    public async Task Copy_on_one_server_uses_copy_data_and_between_sessions_pipes_the_data()
    {
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "source.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, 5_000_000);
        var mtime = new DateTime(2021, 6, 7, 8, 9, 10, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(source, mtime);

        IList<SftpProgress> events = await Client.Copy(source, Path.Combine(dir, "same.bin"), options: new SftpTransferOptions { PreserveTimes = true }).ToList().ToTask().WaitAsync(TestTimeout.Long);
        Assert.Equal(5_000_000, events[^1].BytesDone);
        Assert.Equal(events[^1].TotalBytes, events[^1].BytesDone);
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "same.bin")));
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(Path.Combine(dir, "same.bin")));

        await using SftpClient other = await fixture.Connection.StartSftpClientAsync().WithTimeout();
        string into = Directory.CreateDirectory(Path.Combine(dir, "into")).FullName;
        SftpProgress piped = await Client.CopyAsync(source, into, other, new SftpTransferOptions { BlockSize = 100_000 }).WithTimeout(TestTimeout.Long);
        Assert.Equal(5_000_000, piped.BytesDone);
        Assert.Equal(source, piped.CurrentFile);
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(into, "source.bin")));
        await Assert.ThrowsAsync<SftpException>(() => Client.CopyAsync(source, dir).WithTimeout());
        Assert.Equal(hash, SftpTestFiles.Sha256(source));

        await using SftpClient third = await fixture.Connection.StartSftpClientAsync().WithTimeout();
        await Client.CopyAsync(source, Path.Combine(dir, "piped.bin"), third).WithTimeout(TestTimeout.Long);
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "piped.bin")));
    }

    [Fact]
    public async Task The_remote_file_stream_writes_behind_reads_ahead_and_seeks()
    {
        string path = Path.Combine(fixture.NewDirectory(), "stream.bin");
        byte[] data = RandomNumberGenerator.GetBytes(3_000_000);
        await using (SftpFileStream stream = await Client.OpenStreamAsync(path, FileMode.CreateNew, FileAccess.ReadWrite).WithTimeout())
        {
            Assert.True(stream.CanSeek && stream.CanRead && stream.CanWrite);
            for (int done = 0; done < data.Length;)
            {
                int n = Math.Min(data.Length - done, 1 + (done % 400_000));
                await stream.WriteAsync(data.AsMemory(done, n));
                done += n;
            }

            Assert.Equal(data.Length, stream.Position);
            Assert.Equal(data.Length, await stream.GetLengthAsync().WithTimeout());

            stream.Position = 0;
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy).WithTimeout(TestTimeout.Long);
            Assert.Equal(data, copy.ToArray());

            stream.Seek(-1000, SeekOrigin.End);
            byte[] tail = new byte[2000];
            int read = await stream.ReadAtLeastAsync(tail, 1000, throwOnEndOfStream: false).AsTask().WithTimeout();
            Assert.Equal(1000, read);
            Assert.Equal(data.AsSpan(data.Length - 1000).ToArray(), tail.AsSpan(0, 1000).ToArray());

            stream.Position = 12345;
            byte[] middle = new byte[10];
            await stream.ReadExactlyAsync(middle).AsTask().WithTimeout();
            Assert.Equal(data.AsSpan(12345, 10).ToArray(), middle);

            stream.SetLength(100);
            Assert.Equal(100, stream.Length);
        }

        await using (SftpFileStream append = await Client.OpenStreamAsync(path, FileMode.Append, FileAccess.Write).WithTimeout())
        {
            Assert.Equal(100, append.Position);
            await append.WriteAsync(new byte[] { 1, 2, 3 });
        }

        byte[] final = await File.ReadAllBytesAsync(path);
        Assert.Equal([.. data.AsSpan(0, 100), 1, 2, 3], final);
        await Assert.ThrowsAsync<SftpException>(() => Client.OpenStreamAsync(path, FileMode.CreateNew, FileAccess.Write).WithTimeout());
    }
}
