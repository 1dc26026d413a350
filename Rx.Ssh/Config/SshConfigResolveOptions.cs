using Microsoft.Extensions.Logging;

namespace Rx.Ssh;

/// <summary>
/// What <see cref="SshConfig.Resolve(string, SshConfigResolveOptions?)"/> knows besides the host
/// name: values the caller set explicitly (they win over the files, as ssh's command line does),
/// the local user and home, and how <c>Match exec</c> runs.
/// </summary>
public sealed record SshConfigResolveOptions
{
    /// <summary>The remote user the caller chose (ssh's <c>-l</c>); wins over <c>User</c>.</summary>
    public string? User { get; init; }

    /// <summary>The port the caller chose (ssh's <c>-p</c>); wins over <c>Port</c>.</summary>
    public int? Port { get; init; }

    /// <summary>The local user (<c>%u</c>, <c>Match localuser</c>, the default remote user). Default: the process's.</summary>
    public string LocalUser { get; init; } = System.Environment.UserName;

    /// <summary>The home directory (<c>~</c>, <c>%d</c>). Default: the user profile folder.</summary>
    public string HomeDirectory { get; init; } = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    /// <summary>
    /// Runs a <c>Match exec</c> command (tokens already expanded) and says whether it succeeded.
    /// Default: <c>/bin/sh -c COMMAND</c>, true on exit status 0.
    /// </summary>
    public Func<string, bool>? Exec { get; init; }

    /// <summary>Looks up <c>${NAME}</c>; the process environment when null.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Gets the unknown keywords (at Debug), as ssh's <c>IgnoreUnknown</c> would skip them.</summary>
    public ILogger? Logger { get; init; }
}
