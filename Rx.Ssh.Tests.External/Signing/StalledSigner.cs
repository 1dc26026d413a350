
namespace Rx.Ssh.Tests.External.Signing;

/// <summary>
/// A signer that never answers (a hardware token waiting for a touch): it reports when it was asked
/// and, when <see cref="HonoursCancellation"/>, ends with the caller's cancellation; otherwise it
/// ignores the token and hangs until <see cref="Release"/>.
/// </summary>
public sealed class StalledSigner : ISshSigner
{
    private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<byte[]> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a signer presenting <paramref name="publicKey"/>.</summary>
    public StalledSigner(SshPublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        PublicKey = publicKey;
    }

    /// <inheritdoc/>
    public SshPublicKey PublicKey { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> SignatureAlgorithms => PublicKey.SignatureAlgorithms;

    /// <summary>Whether signing ends when the caller's token is cancelled. Default true.</summary>
    public bool HonoursCancellation { get; init; } = true;

    /// <summary>Completes when the client asks for a signature.</summary>
    public Task Asked => _asked.Task;

    /// <summary>Completes when the caller's token cancelled a pending signature.</summary>
    public Task Cancelled => _cancelled.Task;

    /// <summary>Ends a pending signature that ignores cancellation (with an error), so nothing is left hanging.</summary>
    public void Release() => _never.TrySetException(new InvalidOperationException("released"));

    /// <inheritdoc/>
    public async ValueTask<byte[]> SignAsync(string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        _asked.TrySetResult();
        if (!HonoursCancellation)
        {
            return await _never.Task;
        }

        try
        {
            return await _never.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _cancelled.TrySetResult();
            throw;
        }
    }
}
