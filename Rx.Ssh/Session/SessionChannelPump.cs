using Rx.Ssh.Connection;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Session;

/// <summary>
/// The one reader of a session channel's events (RFC 4254 section 6), for both roles: takes the
/// events in arrival order and hands them to a <see cref="SessionEventSink"/>; data the sink does
/// not keep goes back to the window at once. Requests the sink does not build in go to the
/// connection's channel-request registry (<see cref="SshConnection.RegisterChannelRequestHandler"/>),
/// awaited before the next event, so replies keep request order. Ends when the sink hands the
/// channel over (<see cref="SessionEventSink.HandedOver"/>: its remaining events belong to someone else), or when the channel's events end;
/// a sink's exception (or the connection's failure) ends it with that exception.
/// </summary>
internal static class SessionChannelPump
{
    public static async Task RunAsync(SshChannel channel, SessionEventSink sink, CancellationToken cancellationToken = default)
    {
        while (!sink.HandedOver && await channel.Events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (!sink.HandedOver && channel.Events.TryRead(out ChannelEvent e))
            {
                switch (e.Kind)
                {
                    case ChannelEventKind.Data:
                    case ChannelEventKind.ExtendedData:
                        bool kept = false;
                        try
                        {
                            kept = e.Kind == ChannelEventKind.Data ? sink.OnData(e) : e.DataType == 1 && sink.OnStderr(e);
                        }
                        finally
                        {
                            if (!kept)
                            {
                                channel.Consumed(e);
                            }
                        }

                        break;
                    case ChannelEventKind.Eof:
                        sink.OnEof();
                        break;
                    case ChannelEventKind.Request:
                        await HandleRequestAsync(channel, sink, e).ConfigureAwait(false);
                        break;
                    case ChannelEventKind.Close:
                        sink.OnClose();
                        break;
                }
            }
        }
    }

    private static async ValueTask HandleRequestAsync(SshChannel channel, SessionEventSink sink, ChannelEvent e)
    {
        string type = e.RequestType!;
        byte[] data = e.RequestData ?? [];
        Action<bool>? reply = e.WantReply ? sink.BeginReply(channel) : null;
        bool ok = false;
        try
        {
            bool? builtIn;
            try
            {
                builtIn = sink.OnRequest(type, data, e.WantReply);
            }
            catch (SshFormatException)
            {
                builtIn = false;
            }

            ok = builtIn ?? await channel.Connection.HandleChannelRequestAsync(channel, type, data, e.WantReply).ConfigureAwait(false);
        }
        finally
        {
            reply?.Invoke(ok);
        }

        sink.OnRequestAnswered(type, ok);
    }
}
