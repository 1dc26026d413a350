using Microsoft.Extensions.Logging;
using Rx.Ssh.Connection;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Server.Editor;
using Rx.Ssh.Server.Forwarding;
using Rx.Ssh.Session;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Server;

/// <summary>
/// Reads one server session channel's events in order and turns them into session callbacks:
/// the requests of RFC 4254 section 6 (env, pty-req, shell/exec/subsystem, window-change,
/// signal, break), data and EOF. Ends when the channel closes.
/// </summary>
internal static class ServerSessionPump
{
    private const int MaxEnvironmentVariables = 256;

    public static async Task RunAsync(SshServerChannel channel, SshServerSession session)
    {
        SshChannel inner = channel.Inner;
        Exception? error = null;
        try
        {
            session.Channel = channel;
            session.ConnectionMade(channel);
            await SessionChannelPump.RunAsync(inner, new Sink(channel, session)).ConfigureAwait(false);

            // A registered subsystem takes the channel's remaining events once its request is answered.
            if (channel.SubsystemHandler is { } subsystem)
            {
                await ServerSubsystems.RunAsync(channel, subsystem).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            error = ex;
            if (ex is not SshException)
            {
                channel.Connection.Loggers.Server.LogWarning(SshLogEvents.Server.SessionHandlerFailed, ex, "Session handler failed");
            }
        }

        await inner.CloseAsync().ConfigureAwait(false);
        channel.AgentForward?.Dispose();
        try
        {
            session.ConnectionLost(error is SshChannelException { InnerException: null } ? null : error);
        }
        catch (Exception ex)
        {
            channel.Connection.Loggers.Server.LogWarning(SshLogEvents.Server.ConnectionLostCallbackFailed, ex, "ConnectionLost callback failed");
        }
    }

    /// <summary>The server's side of the shared pump: the session's callbacks.</summary>
    private sealed class Sink(SshServerChannel channel, SshServerSession session) : SessionEventSink
    {
        public override bool HandedOver => channel.SubsystemHandler is not null;

        public override bool OnData(in ChannelEvent e) => session.TakeData(e);

        // OnStderr: a client has no stderr to send; the pump drops it.
        public override void OnEof() => session.TakeEof();

        public override bool? OnRequest(string type, byte[] data, bool wantReply) =>
            type is "env" or "pty-req" or "shell" or "exec" or "subsystem" or SessionRequestMessages.WindowChange or SessionRequestMessages.Signal or SessionRequestMessages.Break
                || (type == AgentSocketForward.RequestName && channel.Connection.Options.AllowAgentForwarding)
                ? Handle(channel, session, type, data)
                : null;

        /// <summary>
        /// Output the callback queues (an exit from BreakReceived, say) waits until the reply is
        /// sent: a reply would be dropped once CLOSE went out, and the client would see a failure.
        /// </summary>
        public override Action<bool> BeginReply(SshChannel inner)
        {
            var replied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = channel.Output.EnqueueAsync(() => replied.Task);
            return ok =>
            {
                inner.Reply(ok);
                replied.SetResult();
            };
        }

        public override void OnRequestAnswered(string type, bool success)
        {
            if (success && type is "shell" or "exec" or "subsystem" && channel.SubsystemHandler is null)
            {
                session.SessionStarted();
            }
        }
    }

    private static bool Handle(SshServerChannel channel, SshServerSession session, string type, byte[] data)
    {
        var r = new SshReader(data);
        bool started = channel.RequestType is not null;
        SshServerConnection connection = channel.Connection;
        switch (type)
        {
            case "env" when !started:
                {
                    // string variable name, string variable value
                    string name = r.ReadUtf8String();
                    string value = r.ReadUtf8String();
                    if (channel.MutableEnvironment.Count >= MaxEnvironmentVariables
                        || !EnvironmentPolicy.Accepts(connection.Options.AcceptEnv, name, value)
                        || !session.EnvironmentRequested(name, value))
                    {
                        return false;
                    }

                    channel.MutableEnvironment[name] = value;
                    return true;
                }

            case "pty-req" when !started:
                {
                    // string TERM, uint32 width chars, uint32 height rows, uint32 width px, uint32 height px, string encoded modes
                    string term = r.ReadUtf8String();
                    int cols = (int)Math.Min(r.ReadUInt32(), 10000);
                    int rows = (int)Math.Min(r.ReadUInt32(), 10000);
                    int px = (int)Math.Min(r.ReadUInt32(), 100000);
                    int py = (int)Math.Min(r.ReadUInt32(), 100000);
                    IReadOnlyDictionary<byte, uint> modes = TerminalModes.Decode(r.ReadString());
                    var terminal = new SshTerminal(term, cols, rows) { PixelWidth = px, PixelHeight = py, Modes = modes };
                    if (connection.KeyOptions is { PermitPty: false } || !session.PtyRequested(terminal))
                    {
                        return false;
                    }

                    channel.Terminal = terminal;
                    return true;
                }

            case AgentSocketForward.RequestName when !started:
                {
                    // No data. Once per session; refused when the login key may not forward the agent.
                    r.ReadEnd();
                    if (channel.AgentForward is not null || connection.KeyOptions is { PermitAgentForwarding: false }
                        || AgentSocketForward.TryStart(connection) is not { } forward)
                    {
                        return false;
                    }

                    channel.AgentForward = forward;
                    channel.MutableEnvironment["SSH_AUTH_SOCK"] = forward.SocketPath;
                    return true;
                }

            case "shell" or "exec" or "subsystem" when !started:
                return Start(channel, session, type, type == "shell" ? null : r.ReadUtf8String());

            case "window-change" when channel.Terminal is not null:
                {
                    // uint32 width chars, uint32 height rows, uint32 width px, uint32 height px
                    int cols = (int)Math.Min(r.ReadUInt32(), 10000);
                    int rows = (int)Math.Min(r.ReadUInt32(), 10000);
                    int px = (int)Math.Min(r.ReadUInt32(), 100000);
                    int py = (int)Math.Min(r.ReadUInt32(), 100000);
                    channel.Terminal = channel.Terminal with { Columns = cols, Rows = rows, PixelWidth = px, PixelHeight = py };
                    if (channel.Editor is { } editor)
                    {
                        lock (channel.EditorGate)
                        {
                            editor.TerminalWidth = Math.Max(cols, 1);
                        }
                    }

                    session.TerminalSizeChanged(channel.Terminal);
                    return true;
                }

            case SessionRequestMessages.Signal:
                session.SignalReceived(SessionRequestMessages.ReadSignal(data));
                return true;
            case SessionRequestMessages.Break:
                return session.BreakReceived(SessionRequestMessages.ReadBreak(data));
            default:
                return false;
        }
    }

    private static bool Start(SshServerChannel channel, SshServerSession session, string type, string? argument)
    {
        SshServerConnection connection = channel.Connection;
        if (connection.KeyOptions is { } keyOptions)
        {
            // environment= lets whoever can write the authorized_keys file set LD_PRELOAD and the
            // like for the server's processes: applied only when the server says so.
            if (connection.Options.PermitUserEnvironment)
            {
                foreach (KeyValuePair<string, string> variable in keyOptions.Environment)
                {
                    channel.MutableEnvironment[variable.Key] = variable.Value;
                }
            }

            if (keyOptions.Command is { } forced)
            {
                // A forced command (command= or a certificate's force-command) replaces whatever was
                // asked for, subsystems included, as sshd does: otherwise a key restricted to one
                // command could open sftp or any other subsystem. The program sees the request (the
                // command, or the subsystem's name) in SSH_ORIGINAL_COMMAND; a shell sets nothing.
                if (argument is not null)
                {
                    channel.MutableEnvironment["SSH_ORIGINAL_COMMAND"] = argument;
                }

                type = "exec";
                argument = forced;
            }
        }

        if (type == "subsystem" && ServerSubsystems.TryClaim(channel, argument!))
        {
            // Registered subsystems come before the session's SubsystemRequested (see SshServerOptions.Subsystems).
            channel.RequestType = type;
            return true;
        }

        if (channel.Terminal is { } terminal && connection.Options.LineEditor && type != "subsystem")
        {
            channel.Editor = new LineEditor(connection.Options.LineHistorySize) { TerminalWidth = Math.Max(terminal.Columns, 1) };
        }

        channel.Command = type == "exec" ? argument : null;
        channel.Subsystem = type == "subsystem" ? argument : null;
        bool accepted = type switch
        {
            "shell" => session.ShellRequested(),
            "exec" => session.ExecRequested(argument!),
            _ => session.SubsystemRequested(argument!),
        };
        if (!accepted)
        {
            channel.Editor = null;
            channel.Command = null;
            channel.Subsystem = null;
            return false;
        }

        channel.RequestType = type;
        return true;
    }
}
