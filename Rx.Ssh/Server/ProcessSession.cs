using Microsoft.Extensions.Logging;
using Rx.Ssh.Connection;

namespace Rx.Ssh.Server;

/// <summary>Serves a session channel with a task-style process handler (<see cref="SshServerOptions.ProcessHandler"/>).</summary>
internal sealed class ProcessSession(Func<SshServerProcess, Task> handler) : SshServerSession
{
    /// <summary>What the client sees on stderr when the process handler throws.</summary>
    internal const string GenericFailure = "Internal server error.\n";

    private SshServerProcess? _process;

    private SshServerProcess Process => _process ??= new SshServerProcess(Channel);

    public override bool ShellRequested() => true;

    public override bool ExecRequested(string command) => true;

    public override bool SubsystemRequested(string subsystem) => true;

    public override void SessionStarted()
    {
        SshServerProcess process = Process;
        // RunAsync handles its own failures; observing it keeps a bug there from going unobserved.
        IO.TaskFaults.Observe(Task.Run(() => RunAsync(process)));
    }

    public override bool BreakReceived(int milliseconds)
    {
        Process.OnBreak(milliseconds);
        return true;
    }

    public override void SignalReceived(string signal) => Process.OnSignal(signal);

    public override void TerminalSizeChanged(SshTerminal terminal) => Process.OnTerminalChanged(terminal);

    public override void ConnectionLost(Exception? error) => _process?.OnClosed();

    internal override bool TakeData(in ChannelEvent e)
    {
        Process.StdinPart.Enqueue(e);
        return true;
    }

    internal override void TakeEof() => Process.StdinPart.Enqueue(new ChannelEvent(ChannelEventKind.Eof));

    private async Task RunAsync(SshServerProcess process)
    {
        try
        {
            await handler(process).ConfigureAwait(false);
            await process.Channel.ExitAsync(process.ExitStatus).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SshException || (ex is OperationCanceledException && process.Closed.IsCancellationRequested))
        {
            // The client left while the process ran.
        }
        catch (Exception ex)
        {
            // The exception stays in the log; the client learns only that the session failed
            // (an exception message may hold paths, names or secrets: ASP.NET Core's 500 rule).
            process.Connection.Loggers.Server.LogError(SshLogEvents.Server.ProcessHandlerFailed, ex, "Process handler failed for {User}", process.UserName);
            try
            {
                await process.Stderr.WriteAsync(GenericFailure).ConfigureAwait(false);
            }
            catch (Exception writeError)
            {
                // The client left, or the channel closed, while the failure was being reported.
                process.Connection.Loggers.Server.LogDebug(SshLogEvents.Server.HandlerFailureNotReported, writeError, "Could not report the handler failure on stderr");
            }

            await process.Channel.ExitAsync(1).ConfigureAwait(false);
        }
    }
}
