namespace Rx.Ssh;

/// <summary>
/// The outcome of one host's operation in a fleet (<see cref="SshHostExtensions.Gather{T}"/>):
/// its value, or the exception that ended it. One per host, whatever happened.
/// </summary>
/// <typeparam name="T">The operation's result type.</typeparam>
/// <param name="Host">The host.</param>
/// <param name="Index">The host's position in the list given.</param>
/// <param name="Value">The operation's last value; default when it failed.</param>
/// <param name="Error">Why it failed; null when it succeeded.</param>
public sealed record SshHostResult<T>(SshHost Host, int Index, T? Value, Exception? Error)
{
    /// <summary>True when the operation produced a value.</summary>
    public bool Succeeded => Error is null;
}
