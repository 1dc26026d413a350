using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// One sshd whose <c>sftp</c> subsystem is OpenSSH's stand-alone <c>sftp-server</c> (a process per
/// session), one connection to it, and one <see cref="SftpClient"/>, shared by the tests of the
/// <c>"sftp-sshd"</c> collection (which run one after another). Each test works in its own
/// directory from <see cref="NewDirectory"/>, under a temporary root removed at the end.
/// </summary>
public sealed class SftpSshdFixture : IAsyncLifetime
{
    private SshdServer? _server;
    private SshClientConnection? _connection;
    private SftpClient? _client;
    private int _directories;

    /// <summary>The server.</summary>
    public SshdServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>The connection.</summary>
    public SshClientConnection Connection => _connection ?? throw new InvalidOperationException("Not started.");

    /// <summary>The shared client.</summary>
    public SftpClient Client => _client ?? throw new InvalidOperationException("Not started.");

    /// <summary>The temporary root (the same path for the server, which runs on this machine as this user).</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("rxsftp-").FullName;

    /// <summary>A fresh empty directory under <see cref="Root"/>.</summary>
    /// <returns>Its absolute path.</returns>
    public string NewDirectory()
    {
        string path = Path.Combine(Root, "t" + Interlocked.Increment(ref _directories));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _server = await SshdServer.StartAsync(new SshdOptions { SftpSubsystem = SshdOptions.SftpServerPath });
        _connection = await ClientInterop.ConnectAsync(_server);
        _client = await _connection.StartSftpClientAsync().WaitAsync(TestTimeout.Default);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>The xunit collection sharing one <see cref="SftpSshdFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SftpSshdCollection : ICollectionFixture<SftpSshdFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "sftp-sshd";
}
