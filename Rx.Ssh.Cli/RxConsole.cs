using Spectre.Console;

namespace Rx.Ssh.Cli;

/// <summary>Where rxssh writes: plain writers for output lines, Spectre for tables and progress.</summary>
internal sealed class RxConsole
{
    /// <summary>A console on the process's stdout and stderr.</summary>
    public RxConsole()
        : this(Console.Out, Console.Error, !Console.IsOutputRedirected)
    {
    }

    /// <summary>A console on the given writers (tests).</summary>
    /// <param name="output">stdout.</param>
    /// <param name="error">stderr.</param>
    /// <param name="isTerminal">Whether live progress bars may be drawn.</param>
    public RxConsole(TextWriter output, TextWriter error, bool isTerminal)
    {
        Out = output;
        Error = error;
        IsTerminal = isTerminal;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>stdout.</summary>
    public TextWriter Out { get; }

    /// <summary>stderr.</summary>
    public TextWriter Error { get; }

    /// <summary>stdout is a terminal: progress bars are drawn; otherwise plain lines.</summary>
    public bool IsTerminal { get; }

    /// <summary>Spectre on stdout.</summary>
    public IAnsiConsole Ansi { get; }
}
