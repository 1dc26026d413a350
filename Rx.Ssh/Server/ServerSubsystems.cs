using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Server;

/// <summary>
/// The server's subsystem registry (<see cref="SshServerOptions.Subsystems"/>) as the session pump
/// uses it: <see cref="TryClaim"/> when a <c>subsystem</c> request arrives (after a forced command
/// had its chance to replace it), then <see cref="RunAsync"/> once the pump has sent the reply and
/// stopped reading: the channel's remaining events belong to the subsystem's stream from then on.
/// </summary>
internal static class ServerSubsystems
{
    /// <summary>Takes the request when a handler is registered for <paramref name="name"/>: the session's own callbacks are not asked.</summary>
    public static bool TryClaim(SshServerChannel channel, string name)
    {
        if (channel.Connection.Options.Subsystems is not { } registry || !registry.TryGetValue(name, out SshSubsystemHandler? handler))
        {
            return false;
        }

        channel.Subsystem = name;
        channel.SubsystemHandler = handler;
        return true;
    }

    /// <summary>Runs the claimed subsystem's handler, then ends the session: exit-status, EOF, CLOSE.</summary>
    public static async Task RunAsync(SshServerChannel channel, SshSubsystemHandler handler)
    {
        var stream = new SshChannelStream(channel.Inner);
        var subsystem = new SshServerSubsystem(channel, channel.Subsystem!, stream);
        using var closed = new CancellationTokenSource();
        _ = channel.Inner.Closed.ContinueWith(
            static (_, state) => CancelQuietly((CancellationTokenSource)state!),
            closed,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        int status;
        try
        {
            await Task.Run(() => handler(subsystem, closed.Token), CancellationToken.None).ConfigureAwait(false);
            status = subsystem.ExitStatus;
        }
        catch (Exception ex) when (ex is SshException || (ex is OperationCanceledException && closed.IsCancellationRequested))
        {
            // The client left (or the connection ended) while the subsystem ran.
            status = 1;
        }
        catch (Exception ex)
        {
            channel.Connection.Loggers.Server.LogError(SshLogEvents.Server.SubsystemHandlerFailed, ex, "Subsystem handler '{Subsystem}' failed for {User}", subsystem.Name, subsystem.UserName);
            status = 1;
        }

        await channel.ExitAsync(status).ConfigureAwait(false);
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The subsystem ended before the channel closed.
        }
    }
}
