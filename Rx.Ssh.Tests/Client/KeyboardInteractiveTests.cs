using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Client;

/// <summary>Client keyboard-interactive (RFC 4256) against the Rx.Ssh server: prompts reach the application's callback.</summary>
public sealed class KeyboardInteractiveTests
{
    private static readonly SshKeyboardInteractiveChallenge TwoPrompts =
        new("Two factors", "Answer both.", [new SshPrompt("Code: ", Echo: true), new SshPrompt("Password: ")]);

    private static readonly SshKeyboardInteractiveChallenge SecondRound =
        new("Round two", "One more.", [new SshPrompt("Favourite colour: ", Echo: true)]);

    /// <summary>Server options that allow only keyboard-interactive, with <paramref name="validate"/> judging the answers.</summary>
    private static SshServerOptions KbdIntServer(Func<IReadOnlyList<string>, SshKeyboardInteractiveResult> validate) =>
        InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("in\n")) with
        {
            PasswordValidator = null,
            KeyboardInteractiveChallenge = _ => ValueTask.FromResult<SshKeyboardInteractiveChallenge?>(TwoPrompts),
            KeyboardInteractiveValidator = (_, answers) => ValueTask.FromResult(validate(answers)),
        };

    private static SshClientOptions Answering(List<SshKeyboardInteractiveChallenge> seen, Func<SshKeyboardInteractiveChallenge, IReadOnlyList<string>> answer) =>
        InMemoryServer.DefaultClientOptions() with
        {
            Password = null,
            KeyboardInteractive = (challenge, _) =>
            {
                lock (seen)
                {
                    seen.Add(challenge);
                }

                return ValueTask.FromResult(answer(challenge));
            },
        };

    [Fact]
    public async Task Two_prompts_reach_the_callback_with_their_echo_flags()
    {
        var seen = new List<SshKeyboardInteractiveChallenge>();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            KbdIntServer(answers => answers.SequenceEqual(["42", "secret"])),
            Answering(seen, _ => ["42", "secret"]));

        SshKeyboardInteractiveChallenge challenge = Assert.Single(seen);
        Assert.Equal("Two factors", challenge.Name);
        Assert.Equal("Answer both.", challenge.Instruction);
        Assert.Equal([new SshPrompt("Code: ", true), new SshPrompt("Password: ", false)], challenge.Prompts);
        Assert.Equal("in\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task Control_characters_in_a_challenge_reach_the_callback_escaped()
    {
        var seen = new List<SshKeyboardInteractiveChallenge>();
        SshServerOptions server = KbdIntServer(answers => answers.SequenceEqual(["42"])) with
        {
            KeyboardInteractiveChallenge = _ => ValueTask.FromResult<SshKeyboardInteractiveChallenge?>(
                new("\u001b]0;owned\u0007Name", "Line one\nLine \u001b[2Jtwo", [new SshPrompt("Code\u001b[8m: ", Echo: true)])),
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, Answering(seen, _ => ["42"]));

        SshKeyboardInteractiveChallenge challenge = Assert.Single(seen);
        Assert.Equal("\\033]0;owned\\007Name", challenge.Name);
        Assert.Equal("Line one\nLine \\033[2Jtwo", challenge.Instruction);
        Assert.Equal("Code\\033[8m: ", challenge.Prompts[0].Text);
    }

    [Fact]
    public async Task Several_rounds_each_reach_the_callback()
    {
        var seen = new List<SshKeyboardInteractiveChallenge>();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            KbdIntServer(answers => answers switch
            {
                ["42", "secret"] => SshKeyboardInteractiveResult.Continue(SecondRound),
                ["blue"] => SshKeyboardInteractiveResult.Accept,
                _ => SshKeyboardInteractiveResult.Reject,
            }),
            Answering(seen, c => c.Name == "Round two" ? ["blue"] : ["42", "secret"]));

        Assert.Equal(["Two factors", "Round two"], seen.Select(c => c.Name));
        Assert.Equal([new SshPrompt("Favourite colour: ", true)], seen[1].Prompts);
    }

    [Fact]
    public async Task Wrong_answers_are_permission_denied()
    {
        var seen = new List<SshKeyboardInteractiveChallenge>();
        SshPermissionDeniedException ex = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemoryServer.StartAsync(
            KbdIntServer(answers => answers.SequenceEqual(["42", "secret"])),
            Answering(seen, _ => ["41", "guess"])));

        Assert.Contains("keyboard-interactive", ex.AllowedMethods);
        Assert.Single(seen);
    }

    [Fact]
    public async Task A_callback_with_the_wrong_number_of_answers_is_a_typed_error()
    {
        var seen = new List<SshKeyboardInteractiveChallenge>();
        SshConnectionException ex = await Assert.ThrowsAsync<SshConnectionException>(() => InMemoryServer.StartAsync(
            KbdIntServer(_ => true),
            Answering(seen, _ => ["only one"])));

        Assert.Contains("1 answer(s) to 2 prompt(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_responder_answers_the_servers_password_prompt()
    {
        // The default server challenge for a password validator is a single "Password: " prompt.
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("in\n")),
            InMemoryServer.DefaultClientOptions() with { Password = null, KeyboardInteractive = SshKeyboardInteractive.PasswordResponder("secret") });

        Assert.Equal("in\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task The_password_responder_fills_password_prompts_and_leaves_others_empty()
    {
        var responder = SshKeyboardInteractive.PasswordResponder("pw");
        Assert.Equal(["", "pw"], await responder(TwoPrompts, CancellationToken.None));
        Assert.Equal(["pw"], await responder(SecondRound, CancellationToken.None));
        Assert.Empty(await responder(new SshKeyboardInteractiveChallenge("", "Welcome", []), CancellationToken.None));
    }

    [Fact]
    public async Task An_informational_round_without_prompts_is_shown_and_answered_with_nothing()
    {
        var seen = new List<SshKeyboardInteractiveChallenge>();
        var notice = new SshKeyboardInteractiveChallenge("Notice", "Your password expires soon.", []);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            KbdIntServer(answers => answers switch
            {
                ["42", "secret"] => SshKeyboardInteractiveResult.Continue(notice),
                [] => SshKeyboardInteractiveResult.Accept,
                _ => SshKeyboardInteractiveResult.Reject,
            }),
            Answering(seen, c => c.Prompts.Count == 0 ? [] : ["42", "secret"]));

        Assert.Equal(2, seen.Count);
        Assert.Equal(("Notice", "Your password expires soon."), (seen[1].Name, seen[1].Instruction));
        Assert.Empty(seen[1].Prompts);
    }
}
