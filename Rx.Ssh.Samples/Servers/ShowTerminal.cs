using System.Reactive.Threading.Tasks;

namespace Rx.Ssh.Samples.Servers;

/// <summary>show_terminal: print the client's terminal type and size, then every window size change.</summary>
internal sealed class ShowTerminal : ISample
{
    public string Name => "show_terminal";

    public string Description => "Print the terminal type and size, then each window resize until EOF or break.";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, HandleClientAsync);

    private static async Task HandleClientAsync(SshServerProcess process)
    {
        // Subscribe before greeting, so no resize or break sent after the greeting is missed.
        using (process.TerminalSizeChanges.Subscribe(t => process.Stdout.Write($"New window size: {Size(t)}\n")))
        {
            Task inputEnded = process.Stdin.Lines.TakeUntil(process.Breaks).LastOrDefaultAsync().ToTask();
            SshTerminal terminal = process.Terminal ?? new SshTerminal("none", 0, 0);
            await process.Stdout.WriteAsync($"Terminal type: {terminal.TerminalType}, size: {Size(terminal)}\nTry resizing your window!\n");
            await inputEnded; // EOF or a break
        }
    }

    private static string Size(SshTerminal t) =>
        t.PixelWidth > 0 && t.PixelHeight > 0 ? $"{t.Columns}x{t.Rows} ({t.PixelWidth}x{t.PixelHeight} pixels)" : $"{t.Columns}x{t.Rows}";
}
