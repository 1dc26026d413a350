
namespace Rx.Ssh.Tests.External.Signing;

/// <summary>A signer whose signing fails after an await, as an agent that went away would.</summary>
public sealed class FailingSigner : ISshSigner
{
    private readonly Exception _error;

    /// <summary>Creates a signer presenting <paramref name="publicKey"/> that fails with <paramref name="error"/>.</summary>
    public FailingSigner(SshPublicKey publicKey, Exception error)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        PublicKey = publicKey;
        _error = error;
    }

    /// <inheritdoc/>
    public SshPublicKey PublicKey { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> SignatureAlgorithms => PublicKey.SignatureAlgorithms;

    /// <summary>How many times it was asked.</summary>
    public int Calls { get; private set; }

    /// <inheritdoc/>
    public async ValueTask<byte[]> SignAsync(string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        Calls++;
        await Task.Yield();
        throw _error;
    }
}
