namespace Rx.Ssh.Sftp;

/// <summary>Options of an SCP copy.</summary>
public sealed record ScpCopyOptions
{
    /// <summary>Copy directories and their content (<c>-r</c>: D/E records).</summary>
    public bool Recursive { get; init; }

    /// <summary>Keep modification/access times and modes (<c>-p</c>: T records).</summary>
    public bool Preserve { get; init; }

    /// <summary>Options for connections opened for <c>host:path</c> forms (the path's user replaces <see cref="SshClientOptions.UserName"/>); defaults when null.</summary>
    public SshClientOptions? ClientOptions { get; init; }

    /// <summary>Port for connections opened for <c>host:path</c> forms.</summary>
    public int Port { get; init; } = 22;
}
