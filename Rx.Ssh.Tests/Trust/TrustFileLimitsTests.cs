using Rx.Ssh.Trust;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Trust;

/// <summary>Trust files are read only when they are regular files of at most 1 MiB.</summary>
public sealed class TrustFileLimitsTests
{
    [Fact]
    public async Task A_file_over_one_mebibyte_is_refused_with_a_typed_error()
    {
        using var temp = new TempDirectory();
        string path = temp.File("authorized_keys");
        File.WriteAllText(path, "# " + new string('x', SshTrustFileException.MaxLength) + "\n");

        SshTrustFileException error = Assert.Throws<SshTrustFileException>(() => AuthorizedKeysFile.Load(path));
        Assert.Equal(path, error.Path);
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SshTrustFileException>(async () => await KnownHostsFile.LoadAsync(path));
    }

    [Fact]
    public void A_file_of_exactly_one_mebibyte_is_read()
    {
        using var temp = new TempDirectory();
        string path = temp.File("authorized_keys");
        File.WriteAllText(path, "#" + new string('x', SshTrustFileException.MaxLength - 2) + "\n");

        Assert.Empty(AuthorizedKeysFile.Load(path).Entries);
    }

    [Fact]
    public async Task A_device_that_never_ends_is_refused_at_once()
    {
        Assert.Throws<SshTrustFileException>(() => AuthorizedKeysFile.Load("/dev/zero"));
        await Assert.ThrowsAsync<SshTrustFileException>(async () => await AuthorizedKeysFile.LoadAsync("/dev/zero"));
    }

    [Fact]
    public async Task A_fifo_is_refused_without_blocking()
    {
        using var temp = new TempDirectory();
        string path = temp.File("fifo");
        (int code, _) = TrustTestKeys.Run("mkfifo", path);
        Assert.Equal(0, code);

        // Opening a FIFO with no writer would block forever; the check comes first.
        Task load = Task.Run(() => AuthorizedKeysFile.Load(path));
        await Assert.ThrowsAsync<SshTrustFileException>(() => load.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_directory_is_refused_and_a_missing_file_is_empty()
    {
        using var temp = new TempDirectory();

        Assert.Throws<SshTrustFileException>(() => AuthorizedKeysFile.Load(temp.Path));
        Assert.Empty(AuthorizedKeysFile.Load(temp.File("missing")).Entries);
        Assert.Empty(AuthorizedKeysFile.Load(Path.Combine(temp.Path, "no-dir", "missing")).Entries);
    }
}
