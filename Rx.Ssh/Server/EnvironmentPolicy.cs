using Rx.Ssh.Keys;

namespace Rx.Ssh.Server;

/// <summary>
/// Which environment variables a client may set (<see cref="SshServerOptions.AcceptEnv"/>): a name
/// must match one of the patterns (case-sensitive, <c>*</c> and <c>?</c>), and never starts with
/// <c>SSH_</c> (the server's own variables, such as <c>SSH_ORIGINAL_COMMAND</c>), is empty, or holds
/// <c>=</c> or NUL; a value holds no NUL.
/// </summary>
internal static class EnvironmentPolicy
{
    /// <summary>Whether a client's <c>env</c> request for <paramref name="name"/> may be passed on.</summary>
    public static bool Accepts(IReadOnlyList<string> patterns, string name, string value)
    {
        if (name.Length == 0 || name.StartsWith("SSH_", StringComparison.Ordinal) || name.AsSpan().IndexOfAny('=', '\0') >= 0 || value.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (string pattern in patterns)
        {
            if (HostPattern.Matches(name, pattern, ignoreCase: false))
            {
                return true;
            }
        }

        return false;
    }
}
