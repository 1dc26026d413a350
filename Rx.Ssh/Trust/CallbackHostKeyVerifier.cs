namespace Rx.Ssh;

/// <summary>
/// Lets the application decide: the callback returns true to trust the key. A false answer becomes a
/// <see cref="SshHostKeyNotTrustedException"/> with <see cref="HostKeyTrustFailure.Rejected"/>; an
/// exception thrown by the callback is passed on unchanged.
/// </summary>
public sealed class CallbackHostKeyVerifier : IHostKeyVerifier
{
    private readonly Func<HostKeyContext, CancellationToken, ValueTask<bool>> _callback;

    /// <summary>Creates a verifier around an asynchronous callback that can observe cancellation.</summary>
    public CallbackHostKeyVerifier(Func<HostKeyContext, CancellationToken, ValueTask<bool>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callback = callback;
    }

    /// <summary>Creates a verifier around an asynchronous callback.</summary>
    public CallbackHostKeyVerifier(Func<HostKeyContext, ValueTask<bool>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callback = (context, _) => callback(context);
    }

    /// <summary>Creates a verifier around a synchronous callback.</summary>
    public CallbackHostKeyVerifier(Func<HostKeyContext, bool> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _callback = (context, _) => ValueTask.FromResult(callback(context));
    }

    /// <inheritdoc/>
    public async ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (!await _callback(context, cancellationToken).ConfigureAwait(false))
        {
            throw context.NotTrusted(HostKeyTrustFailure.Rejected);
        }
    }
}
