namespace Rx.Ssh;

/// <summary>One keyboard-interactive prompt (RFC 4256): its text and whether the answer may be echoed.</summary>
/// <param name="Text">The prompt, e.g. <c>Password: </c>.</param>
/// <param name="Echo">Whether the client shows what the user types.</param>
public sealed record SshPrompt(string Text, bool Echo = false);

/// <summary>A keyboard-interactive info request (RFC 4256 section 3.2).</summary>
/// <param name="Name">Title (may be empty).</param>
/// <param name="Instruction">Instruction text (may be empty).</param>
/// <param name="Prompts">The prompts; none is allowed (an informational round).</param>
public sealed record SshKeyboardInteractiveChallenge(string Name, string Instruction, IReadOnlyList<SshPrompt> Prompts);

/// <summary>The server's verdict on keyboard-interactive answers.</summary>
public sealed record SshKeyboardInteractiveResult
{
    private SshKeyboardInteractiveResult(bool success, SshKeyboardInteractiveChallenge? next)
    {
        Success = success;
        Next = next;
    }

    /// <summary>The answers were right.</summary>
    public static SshKeyboardInteractiveResult Accept { get; } = new(true, null);

    /// <summary>The answers were wrong.</summary>
    public static SshKeyboardInteractiveResult Reject { get; } = new(false, null);

    /// <summary>Whether authentication succeeded (false also while <see cref="Next"/> is set).</summary>
    public bool Success { get; }

    /// <summary>A further challenge to send, when the exchange goes on.</summary>
    public SshKeyboardInteractiveChallenge? Next { get; }

    /// <summary>Asks another round of questions.</summary>
    public static SshKeyboardInteractiveResult Continue(SshKeyboardInteractiveChallenge next) => new(false, next ?? throw new ArgumentNullException(nameof(next)));

    /// <summary>Converts a plain verdict.</summary>
    public static implicit operator SshKeyboardInteractiveResult(bool success) => success ? Accept : Reject;

    /// <summary>Converts a plain verdict.</summary>
    public static SshKeyboardInteractiveResult FromBoolean(bool success) => success ? Accept : Reject;
}
