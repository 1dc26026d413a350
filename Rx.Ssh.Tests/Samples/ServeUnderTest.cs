using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>serve on a free loopback port with the sample host and user keys, and an ssh pointed at it.</summary>
internal sealed class ServeUnderTest : IAsyncDisposable
{
    private readonly SshListener _listener;

    private ServeUnderTest(SshListener listener, string directory)
    {
        _listener = listener;
        Directory = directory;
        Ssh = SampleServer.OpenSsh(directory, listener.Port, Environment.UserName);
    }

    public OpenSshClient Ssh { get; }

    /// <summary>A temporary directory of this server's (ssh's known_hosts and key; room for a test's sockets), deleted on disposal.</summary>
    public string Directory { get; }

    public static async Task<ServeUnderTest> StartAsync()
    {
        SshListener listener = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [SampleServer.HostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(SampleServer.UserKey.PublicKey.ToOpenSshString("test") + "\n"),
        }).WithTimeout();
        return new ServeUnderTest(listener, System.IO.Directory.CreateTempSubdirectory("rxssh-serve-").FullName);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisconnectAllAsync().WithTimeout();
        await _listener.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
