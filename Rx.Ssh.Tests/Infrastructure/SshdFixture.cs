namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// One sshd with <see cref="SshdOptions.Default"/>, shared by every test class in the
/// <c>"sshd"</c> collection (<c>[Collection(SshdCollection.Name)]</c>, constructor parameter
/// <see cref="SshdFixture"/>). Tests in the collection run one after another; a test that needs
/// a different config starts its own <see cref="SshdServer"/>.
/// </summary>
public sealed class SshdFixture : IAsyncLifetime
{
    private SshdServer? _server;

    /// <summary>The shared server (started before the first test of the collection).</summary>
    public SshdServer Server => _server ?? throw new InvalidOperationException("The sshd fixture has not started.");

    /// <summary>An <c>ssh</c> client for <see cref="Server"/> logging in with <paramref name="key"/> (ed25519 when null).</summary>
    /// <param name="key">The user key.</param>
    public OpenSshClient CreateOpenSshClient(TestKey? key = null) => OpenSshClient.For(Server, key);

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await SshdServer.StartAsync();

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The xunit collection sharing one <see cref="SshdFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SshdCollection : ICollectionFixture<SshdFixture>
{
    /// <summary>The collection name: <c>"sshd"</c>.</summary>
    public const string Name = "sshd";
}
