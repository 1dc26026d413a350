namespace Rx.Ssh;

/// <summary>
/// The logger categories the library writes under when given an <c>ILoggerFactory</c>
/// (<see cref="SshConnectionOptions.LoggerFactory"/>), one per layer, so each can be filtered on its
/// own (<c>"Rx.Ssh.Transport": "Debug"</c> for OpenSSH <c>-v</c>-like key exchange detail). Event ids
/// per category: <see cref="SshLogEvents"/>. Nothing secret is ever logged (no passwords, key
/// material, or data).
/// </summary>
public static class SshLogCategories
{
    /// <summary>Binary packets, key exchange, re-keying (<see cref="SshLogEvents.Transport"/>).</summary>
    public const string Transport = "Rx.Ssh.Transport";

    /// <summary>Client and server authentication (<see cref="SshLogEvents.Authentication"/>).</summary>
    public const string Authentication = "Rx.Ssh.Authentication";

    /// <summary>Channels, channel and global requests, timeouts (<see cref="SshLogEvents.Connection"/>).</summary>
    public const string Connection = "Rx.Ssh.Connection";

    /// <summary>The server's port forwarding (<see cref="SshLogEvents.Forwarding"/>).</summary>
    public const string Forwarding = "Rx.Ssh.Forwarding";

    /// <summary>The server: listeners, accepts, limits, handlers (<see cref="SshLogEvents.Server"/>).</summary>
    public const string Server = "Rx.Ssh.Server";

    /// <summary>The client: connecting, keys, configuration, jump hosts, reverse listeners (<see cref="SshLogEvents.Client"/>).</summary>
    public const string Client = "Rx.Ssh.Client";
}
