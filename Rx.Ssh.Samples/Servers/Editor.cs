namespace Rx.Ssh.Samples.Servers;

/// <summary>editor: the line editor at work: echo off while a secret is typed, then single-key input.</summary>
internal sealed class Editor : ISample
{
    public string Name => "editor";

    public string Description => "Line editing: read a secret without echo, then wait for any key.";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, HandleClientAsync);

    private static async Task HandleClientAsync(SshServerProcess process)
    {
        await process.Stdout.WriteAsync($"Welcome to my SSH server, {process.UserName}!\n\n");

        process.Channel.Echo = false;
        await process.Stdout.WriteAsync("Tell me a secret: ");
        await process.Stdin.ReadLineAsync();
        process.Channel.Echo = true;

        process.Channel.LineMode = false; // before the prompt, so the key pressed after it arrives as typed
        await process.Stdout.WriteAsync("\nYour secret is safe with me! Press any key to exit...");
        await process.Stdin.ReadAsync(1);
        await process.Stdout.WriteAsync("\n");
    }
}
