namespace Rx.Ssh;

/// <summary>
/// INSECURE: trusts every host key without checking. Anyone who can intercept the connection can
/// impersonate the server and read everything sent, passwords included. Use it only for tests or
/// throwaway hosts on a network you control, and choose it explicitly: it is never a default.
/// </summary>
public sealed class InsecureAcceptAnyHostKey : IHostKeyVerifier
{
    private InsecureAcceptAnyHostKey()
    {
    }

    /// <summary>The single instance.</summary>
    public static InsecureAcceptAnyHostKey Instance { get; } = new();

    /// <inheritdoc/>
    public ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.CompletedTask;
    }
}
