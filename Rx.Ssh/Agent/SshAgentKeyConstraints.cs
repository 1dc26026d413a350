namespace Rx.Ssh;

/// <summary>
/// Limits an ssh-agent puts on a key it is given (<c>ssh-add -t</c>, <c>ssh-add -c</c>): how long it
/// keeps the key, and whether it asks the user to confirm each use.
/// </summary>
public sealed record SshAgentKeyConstraints
{
    private readonly TimeSpan? _lifetime;

    /// <summary>
    /// How long the agent keeps the key before it forgets it (whole seconds, 1 s to about 136 years); null
    /// (the default) keeps it until removed or the agent ends.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Under one second or over <see cref="uint.MaxValue"/> seconds.</exception>
    public TimeSpan? Lifetime
    {
        get => _lifetime;
        init
        {
            if (value is { } v && (v < TimeSpan.FromSeconds(1) || v.TotalSeconds > uint.MaxValue))
            {
                throw new ArgumentOutOfRangeException(nameof(Lifetime), v, "the lifetime must be between 1 s and uint.MaxValue seconds");
            }

            _lifetime = value;
        }
    }

    /// <summary>Ask the user (through <c>ssh-askpass</c>) before each signature. Default false.</summary>
    public bool Confirm { get; init; }

    /// <summary>True when a constraint is set (the key is added with <c>SSH_AGENTC_ADD_ID_CONSTRAINED</c>).</summary>
    internal bool Any => Lifetime is not null || Confirm;
}
