using Rx.Ssh.Connection;

namespace Rx.Ssh;

/// <summary>
/// Callback-style handler of one session channel (AsyncSSH's <c>SSHServerSession</c>): override
/// what the session needs. Return it from <see cref="SshServerHandler.SessionRequested"/>. The
/// callbacks run one at a time, in the order the client's messages arrived, on the session's own
/// task (never on the connection's dispatch loop: a slow callback holds back only its own
/// session, not other channels or keepalive replies); data is passed on as
/// text (UTF-8; whole lines when the line editor is on). The client gets more window once a
/// <see cref="DataReceived"/> call returns, so a slow callback slows the client.
/// For the task-style API use <see cref="SshServerOptions.ProcessHandler"/> instead.
/// </summary>
public abstract class SshServerSession
{
    /// <summary>The channel, once <see cref="ConnectionMade"/> has been called.</summary>
    public SshServerChannel Channel { get; internal set; } = null!;

    /// <summary>The channel opened; <paramref name="channel"/> is how the session writes and exits.</summary>
    public virtual void ConnectionMade(SshServerChannel channel)
    {
    }

    /// <summary>The client asks for a pseudo-terminal; return false to refuse. Default accepts.</summary>
    public virtual bool PtyRequested(SshTerminal terminal) => true;

    /// <summary>
    /// The client sends an environment variable that <see cref="SshServerOptions.AcceptEnv"/> accepts
    /// (others are refused before this is asked); return false to refuse it. Default accepts.
    /// </summary>
    public virtual bool EnvironmentRequested(string name, string value) => true;

    /// <summary>The client asks for a shell; return true to accept. Default refuses.</summary>
    public virtual bool ShellRequested() => false;

    /// <summary>The client asks to run <paramref name="command"/>; return true to accept. Default refuses.</summary>
    public virtual bool ExecRequested(string command) => false;

    /// <summary>The client asks for a subsystem (e.g. <c>sftp</c>); return true to accept. Default refuses.</summary>
    public virtual bool SubsystemRequested(string subsystem) => false;

    /// <summary>A shell, exec or subsystem request was accepted: the session runs now.</summary>
    public virtual void SessionStarted()
    {
    }

    /// <summary>Input arrived from the client.</summary>
    public virtual void DataReceived(string data)
    {
    }

    /// <summary>The client will send no more input (EOF, or ctrl-D with the line editor).</summary>
    public virtual void EofReceived()
    {
    }

    /// <summary>The client sent a break of <paramref name="milliseconds"/>; return true if handled.</summary>
    public virtual bool BreakReceived(int milliseconds) => false;

    /// <summary>The client sent a signal (name without <c>SIG</c>), or ctrl-C was typed in the line editor (<c>INT</c>).</summary>
    public virtual void SignalReceived(string signal)
    {
    }

    /// <summary>The client's terminal changed size.</summary>
    public virtual void TerminalSizeChanged(SshTerminal terminal)
    {
    }

    /// <summary>The channel closed: <paramref name="error"/> is null for a normal close.</summary>
    public virtual void ConnectionLost(Exception? error)
    {
    }

    /// <summary>Takes a data event. Returns true when the session keeps the event's buffer (and will call Consumed itself).</summary>
    internal virtual bool TakeData(in ChannelEvent e)
    {
        Channel.DeliverText(e.Data.Span, this);
        return false;
    }

    /// <summary>EOF from the client.</summary>
    internal virtual void TakeEof() => EofReceived();
}
