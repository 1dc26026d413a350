namespace Rx.Ssh;

/// <summary>
/// Ready-made answerers for <c>SshClientOptions.KeyboardInteractive</c> (the client side of
/// RFC 4256 keyboard-interactive authentication).
/// </summary>
public static class SshKeyboardInteractive
{
    /// <summary>
    /// Answers every prompt that asks for a password (its text contains "password", any case), and
    /// the only prompt of a single-prompt round, with <paramref name="password"/>; other prompts get
    /// an empty answer. This is what the client does when only <c>SshClientOptions.Password</c>
    /// is set, and suits servers (sshd with PAM among them) that ask for the password this way.
    /// </summary>
    /// <param name="password">The password to give.</param>
    public static Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>> PasswordResponder(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return (challenge, _) =>
        {
            ArgumentNullException.ThrowIfNull(challenge);
            IReadOnlyList<SshPrompt> prompts = challenge.Prompts;
            string[] answers = new string[prompts.Count];
            for (int i = 0; i < answers.Length; i++)
            {
                bool asksPassword = prompts.Count == 1 || prompts[i].Text.Contains("password", StringComparison.OrdinalIgnoreCase);
                answers[i] = asksPassword ? password : string.Empty;
            }

            return ValueTask.FromResult<IReadOnlyList<string>>(answers);
        };
    }
}
