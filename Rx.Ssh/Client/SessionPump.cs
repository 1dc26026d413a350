using System.Net;
using System.Reactive.Linq;
using Rx.Ssh.Connection;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Transport;

namespace Rx.Ssh.Client;

/// <summary>Turns a session channel's events into observer calls (on the shared <see cref="Session.SessionChannelPump"/>), giving window back after each.</summary>
internal sealed class SessionPump(IObserver<SshSessionEvent> observer, bool copyData) : Session.SessionEventSink
{
    // Text is decoded per stream: a character split across chunks is carried to the next chunk.
    private Utf8Continuation _stdoutText;
    private Utf8Continuation _stderrText;

    public static Task RunAsync(SshChannel channel, IObserver<SshSessionEvent> observer, bool copyData, CancellationToken cancellationToken) =>
        Session.SessionChannelPump.RunAsync(channel, new SessionPump(observer, copyData), cancellationToken);

    public override bool OnData(in ChannelEvent e)
    {
        (byte[]? prefix, int heldBack) = _stdoutText.Next(e.Data.Span);
        observer.OnNext(new SshDataReceived(copyData ? e.Data.ToArray() : e.Data, SshStandardStream.Stdout, prefix, heldBack));
        return false;
    }

    public override bool OnStderr(in ChannelEvent e)
    {
        (byte[]? prefix, int heldBack) = _stderrText.Next(e.Data.Span);
        observer.OnNext(new SshDataReceived(copyData ? e.Data.ToArray() : e.Data, SshStandardStream.Stderr, prefix, heldBack));
        return false;
    }

    public override void OnEof() => observer.OnNext(new SshEofReceived());

    public override void OnClose() => observer.OnNext(new SshSessionClosed());

    public override bool? OnRequest(string type, byte[] data, bool wantReply)
    {
        switch (type)
        {
            case SessionRequestMessages.ExitStatus:
                if (SessionRequestMessages.ReadExitStatus(data) is { } status)
                {
                    observer.OnNext(new SshExitReceived(new SshProcessExit(status)));
                    return true;
                }

                return false;
            case SessionRequestMessages.ExitSignal:
                if (SessionRequestMessages.ReadExitSignal(data) is { } signal)
                {
                    observer.OnNext(new SshExitReceived(new SshProcessExit(null, signal.Signal, signal.CoreDumped, signal.Message)));
                    return true;
                }

                return false;
            default:
                return null;
        }
    }
}
