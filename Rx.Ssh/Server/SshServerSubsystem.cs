namespace Rx.Ssh;

/// <summary>
/// One running subsystem on the server (RFC 4254 section 6.5), handed to an
/// <see cref="SshSubsystemHandler"/>: the session channel as a byte stream (the subsystem's stdin
/// and stdout) and who asked for it.
/// </summary>
public sealed class SshServerSubsystem
{
    private readonly SshServerChannel _channel;

    internal SshServerSubsystem(SshServerChannel channel, string name, SshChannelStream stream)
    {
        _channel = channel;
        Name = name;
        Stream = stream;
    }

    /// <summary>The subsystem name the client asked for (e.g. <c>netconf</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// The session channel: reads return what the client sends (0 at its EOF), writes go to the
    /// client's stdout, <see cref="SshChannelStream.WriteExtendedAsync"/> with type 1 to its stderr.
    /// Read it through one of its forms (stream, pipe or events). Disposing it closes the channel at
    /// once, without an exit status; returning from the handler is the normal end.
    /// </summary>
    public SshChannelStream Stream { get; }

    /// <summary>The connection the session belongs to.</summary>
    public SshServerConnection Connection => _channel.Connection;

    /// <summary>The authenticated user.</summary>
    public string UserName => _channel.UserName;

    /// <summary>Environment variables the client sent before the request (as accepted by <see cref="SshServerOptions.AcceptEnv"/>).</summary>
    public IReadOnlyDictionary<string, string> Environment => _channel.Environment;

    /// <summary>The exit status sent when the handler returns (default 0).</summary>
    public int ExitStatus { get; set; }
}
