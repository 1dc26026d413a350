namespace Rx.Ssh;

/// <summary>ssh_config's <c>StrictHostKeyChecking</c>: what happens with a host key not in known_hosts.</summary>
public enum SshStrictHostKeyChecking
{
    /// <summary><c>yes</c>: only known keys; an unknown host fails (the library's default).</summary>
    Yes,

    /// <summary><c>accept-new</c>: an unknown host's key is added to known_hosts; a changed key still fails.</summary>
    AcceptNew,

    /// <summary><c>no</c> (or <c>off</c>): unknown keys are added and accepted. A changed key still fails (stricter than ssh, which connects with password authentication off).</summary>
    No,

    /// <summary><c>ask</c>: ssh asks the user; a library has nobody to ask, so it is treated as <see cref="Yes"/>.</summary>
    Ask,
}
