using System.Text;
using Rx.Ssh.Connection;
using Rx.Ssh.Server;
using Rx.Ssh.Server.Editor;
using Rx.Ssh.Session;

namespace Rx.Ssh;

/// <summary>
/// The server side of one session channel: what the client asked for (command, environment,
/// terminal) and how to answer (write to stdout/stderr, exit). Shared by the callback API
/// (<see cref="SshServerSession"/>) and the process API (<see cref="SshServerProcess"/>).
/// </summary>
public sealed class SshServerChannel
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private int _exited;

    internal SshServerChannel(SshServerConnection connection, SshChannel channel)
    {
        Connection = connection;
        Inner = channel;
        Output = new ChannelOutput(channel, connection.ChannelSettings.MaxQueuedOutputBytes);
    }

    /// <summary>The connection the channel belongs to.</summary>
    public SshServerConnection Connection { get; }

    /// <summary>The authenticated user.</summary>
    public string UserName => Connection.UserName;

    /// <summary>What was requested: <c>shell</c>, <c>exec</c> or <c>subsystem</c> (null before the request).</summary>
    public string? RequestType { get; internal set; }

    /// <summary>The command of an exec request (after any authorized_keys <c>command=</c>), else null.</summary>
    public string? Command { get; internal set; }

    /// <summary>The subsystem name of a subsystem request, else null.</summary>
    public string? Subsystem { get; internal set; }

    /// <summary>Environment variables the client sent (plus any from authorized_keys <c>environment=</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>
    /// The forwarded agent's socket, when the client asked for agent forwarding and
    /// <see cref="SshServerOptions.AllowAgentForwarding"/> allowed it (also in <see cref="Environment"/> as
    /// <c>SSH_AUTH_SOCK</c>); null otherwise. It exists until the session ends.
    /// </summary>
    public string? AgentSocketPath => AgentForward?.SocketPath;

    /// <summary>The pseudo-terminal, when the client asked for one; its size follows window-change requests.</summary>
    public SshTerminal? Terminal { get; internal set; }

    /// <summary>Whether input passes through the line editor (a pty was requested and the editor is enabled).</summary>
    public bool IsLineEditing => Editor is not null;

    /// <summary>
    /// Whether the line editor echoes what the user types (turn off while a secret is typed).
    /// Has no effect without the line editor.
    /// </summary>
    public bool Echo
    {
        get => Editor?.Echo ?? false;
        set
        {
            if (Editor is { } editor)
            {
                lock (EditorGate)
                {
                    editor.Echo = value;
                }
            }
        }
    }

    /// <summary>
    /// Line mode (default) delivers whole edited lines; character mode delivers each key as typed,
    /// without echo. Has no effect without the line editor.
    /// </summary>
    public bool LineMode
    {
        get => Editor?.LineMode ?? false;
        set
        {
            if (Editor is { } editor)
            {
                lock (EditorGate)
                {
                    editor.LineMode = value;
                }
            }
        }
    }

    internal SshChannel Inner { get; }

    /// <summary>The session's forwarded agent socket; disposed when the session pump ends.</summary>
    internal Rx.Ssh.Server.Forwarding.AgentSocketForward? AgentForward { get; set; }

    internal ChannelOutput Output { get; }

    internal LineEditor? Editor { get; set; }

    /// <summary>The registered subsystem that took this session's request (see <see cref="ServerSubsystems"/>), else null.</summary>
    internal SshSubsystemHandler? SubsystemHandler { get; set; }

    /// <summary>Serialises use of <see cref="Editor"/> (input processing, output formatting, mode switches).</summary>
    internal object EditorGate { get; } = new();

    internal Dictionary<string, string> MutableEnvironment => _environment;

    /// <summary>Writes text to stdout without waiting (queued in order, sent as window allows).</summary>
    public void Write(string text) => Output.Post(Encode(text), null);

    /// <summary>Writes text to stderr without waiting (queued in order with stdout).</summary>
    public void WriteStderr(string text) => Output.Post(Encode(text), 1);

    /// <summary>Writes text to stdout and waits until it is handed to the connection (flow control).</summary>
    public Task WriteAsync(string text, CancellationToken cancellationToken = default) => Output.WriteAsync(Encode(text), null, cancellationToken);

    /// <summary>Writes text to stderr and waits until it is handed to the connection.</summary>
    public Task WriteStderrAsync(string text, CancellationToken cancellationToken = default) => Output.WriteAsync(Encode(text), 1, cancellationToken);

    /// <summary>Writes raw bytes to stdout (no line-editor translation) and waits (flow control).</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => Output.WriteAsync(data, null, cancellationToken);

    /// <summary>Writes raw bytes to stderr and waits (flow control).</summary>
    public Task WriteStderrAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => Output.WriteAsync(data, 1, cancellationToken);

    /// <summary>
    /// Ends the session with <paramref name="status"/>: queued output is sent first, then
    /// <c>exit-status</c>, EOF and CLOSE. Later calls do nothing.
    /// </summary>
    /// <param name="status">The exit status.</param>
    /// <param name="cancellationToken">Stops waiting; the exit, once asked for, still happens after the queued output.</param>
    public Task ExitAsync(int status, CancellationToken cancellationToken = default) =>
        FinishAsync(w => Messages.Connection.SessionRequestMessages.WriteExitStatus(w, status), Messages.Connection.SessionRequestMessages.ExitStatus).WaitAsync(cancellationToken);

    /// <summary>Ends the session as killed by <paramref name="signal"/> (name without <c>SIG</c>, e.g. <c>TERM</c>).</summary>
    /// <param name="signal">The signal name without <c>SIG</c>.</param>
    /// <param name="coreDumped">Whether a core was dumped.</param>
    /// <param name="message">An error message for the client.</param>
    /// <param name="cancellationToken">Stops waiting; the exit, once asked for, still happens after the queued output.</param>
    public Task ExitWithSignalAsync(string signal, bool coreDumped = false, string message = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return FinishAsync(
            w => Messages.Connection.SessionRequestMessages.WriteExitSignal(w, signal, coreDumped, message ?? string.Empty),
            Messages.Connection.SessionRequestMessages.ExitSignal).WaitAsync(cancellationToken);
    }

    /// <summary>Fire-and-forget form of <see cref="ExitAsync"/> (the callback style's <c>exit</c>).</summary>
    public void Exit(int status) => IO.TaskFaults.Observe(ExitAsync(status));

    /// <summary>
    /// Sends a channel request (RFC 4254 section 5.4) named <paramref name="name"/> with
    /// <paramref name="data"/> (the request-specific fields in wire format) to the client at once
    /// (not behind queued output); with <paramref name="wantReply"/>, waits for the answer and
    /// returns it (false when refused, or when the channel closed first). The client answers with
    /// its <see cref="SshConnection.RegisterChannelRequestHandler"/> handlers.
    /// </summary>
    /// <param name="name">The request name.</param>
    /// <param name="data">The request-specific data after the want-reply flag, in wire format.</param>
    /// <param name="wantReply">Whether the client should answer.</param>
    /// <param name="cancellationToken">Stops waiting (a request already sent stays sent).</param>
    /// <returns>The client's answer (true without want-reply once sent).</returns>
    /// <exception cref="SshChannelException">The channel is closed.</exception>
    public Task<bool> SendRequestAsync(string name, ReadOnlyMemory<byte> data, bool wantReply = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Inner.SendRequestAsync(name, wantReply, data.IsEmpty ? null : w => w.WriteRaw(data.Span), cancellationToken);
    }

    /// <summary>Sends EOF on stdout after queued output: the client sees end of output; input may go on.</summary>
    /// <param name="cancellationToken">Stops waiting; the EOF, once asked for, is still sent after the queued output.</param>
    public Task SendEofAsync(CancellationToken cancellationToken = default) => Output.EnqueueAsync(() => Inner.SendEofAsync().AsTask()).WaitAsync(cancellationToken);

    /// <summary>Closes the channel after queued output, without an exit status.</summary>
    /// <param name="cancellationToken">Stops waiting; the close, once asked for, still happens after the queued output.</param>
    public Task CloseAsync(CancellationToken cancellationToken = default) => Output.EnqueueAsync(() => Inner.CloseAsync().AsTask()).WaitAsync(cancellationToken);

    private async Task FinishAsync(Action<Wire.SshWriter> body, string request)
    {
        if (Interlocked.Exchange(ref _exited, 1) != 0)
        {
            return;
        }

        try
        {
            await Output.EnqueueAsync(async () =>
            {
                // The exit goes before EOF: Dropbear's dbclient sends CLOSE as soon as it has EOF
                // both ways and then drops every later channel request, exit-status included.
                await Inner.SendRequestAsync(request, false, body, CancellationToken.None).ConfigureAwait(false);
                await Inner.SendEofAsync().ConfigureAwait(false);
                await Inner.CloseAsync().ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (SshException)
        {
            // The client went away first; nothing left to tell it.
        }
    }

    private ReadOnlyMemory<byte> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Editor is { } editor)
        {
            lock (EditorGate)
            {
                text = editor.FormatOutput(text);
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Decodes input and passes it through the line editor (when on) to <paramref name="session"/>.</summary>
    internal void DeliverText(ReadOnlySpan<byte> data, SshServerSession session)
    {
        char[] chars = new char[_decoder.GetCharCount(data, flush: false)];
        int count = _decoder.GetChars(data, chars, flush: false);
        if (count == 0)
        {
            return;
        }

        if (Editor is null)
        {
            session.DataReceived(new string(chars, 0, count));
            return;
        }

        var sink = new CallbackSink(this, session);
        lock (EditorGate)
        {
            Editor.Process(chars.AsSpan(0, count), sink);
        }

        sink.Flush();
    }

    /// <summary>Queues editor echo output (raw: already formatted for the terminal).</summary>
    internal void EchoRaw(string terminalOutput) => Output.Post(Encoding.UTF8.GetBytes(terminalOutput), null);

    /// <summary>Collects editor results while the editor lock is held, then calls the session outside it.</summary>
    private sealed class CallbackSink(SshServerChannel channel, SshServerSession session) : ILineEditorSink
    {
        private readonly List<Action> _calls = [];

        public void Echo(string terminalOutput) => channel.EchoRaw(terminalOutput);

        public void Input(string text) => _calls.Add(() => session.DataReceived(text));

        public void EndOfInput() => _calls.Add(session.EofReceived);

        public void Interrupt() => _calls.Add(() => session.SignalReceived("INT"));

        public void Flush()
        {
            foreach (Action call in _calls)
            {
                call();
            }
        }
    }
}
