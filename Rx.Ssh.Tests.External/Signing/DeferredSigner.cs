using System.Collections.Concurrent;

namespace Rx.Ssh.Tests.External.Signing;

/// <summary>
/// A signer as an agent client would be: it holds a key but answers each request later, from another
/// thread, after yielding, so the caller must await it. It records what it was asked for.
/// </summary>
public sealed class DeferredSigner : ISshSigner
{
    private readonly SshPrivateKey _key;
    private readonly ConcurrentQueue<string> _asked = new();

    /// <summary>Creates a signer for <paramref name="key"/>, presenting <paramref name="publicKey"/> (a certificate, say) or the key's own public key.</summary>
    public DeferredSigner(SshPrivateKey key, SshPublicKey? publicKey = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        PublicKey = publicKey ?? key.PublicKey;
        SignatureAlgorithms = key.SignatureAlgorithms;
    }

    /// <inheritdoc/>
    public SshPublicKey PublicKey { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> SignatureAlgorithms { get; init; }

    /// <summary>The algorithms asked for, in order.</summary>
    public IReadOnlyList<string> Asked => [.. _asked];

    /// <summary>The id of the thread that made the last signature.</summary>
    public int SigningThreadId { get; private set; }

    /// <inheritdoc/>
    public async ValueTask<byte[]> SignAsync(string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        _asked.Enqueue(signatureAlgorithm);
        await Task.Yield();
        byte[] copy = data.ToArray();
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new Thread(() =>
        {
            SigningThreadId = Environment.CurrentManagedThreadId;
            try
            {
                done.SetResult(_key.Sign(signatureAlgorithm, copy));
            }
            catch (ArgumentException e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true };
        worker.Start();
        return await done.Task.WaitAsync(cancellationToken);
    }
}
