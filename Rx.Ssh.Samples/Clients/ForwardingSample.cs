using System.Net.Sockets;
using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// What the forwarding clients share: connect, run the forward until the connection ends (the
/// original's <c>wait_closed()</c>), and the originals' error convention: a connection, bind or
/// listen failure is <c>SSH connection failed: MESSAGE</c> on stderr and exit code 1.
/// </summary>
internal static class ForwardingSample
{
    /// <summary>The address the forward listens on: all interfaces (<c>""</c>) as in the document, unless <c>--listen</c>.</summary>
    public static string ListenHost(SampleContext context) => context.Listen ?? string.Empty;

    /// <summary>
    /// Connects and subscribes to <paramref name="forward"/>; returns 0 when the connection ends (or
    /// Ctrl-C), 1 when it could not be made or the forward could not start. <paramref name="failed"/>
    /// may report a start failure its own way (it returns the exit code, or null for the usual line).
    /// </summary>
    public static async Task<int> RunAsync<T>(SampleContext context, Func<SshClientConnection, IObservable<T>> forward, Func<Exception, int?>? failed = null)
    {
        SshClientConnection conn;
        try
        {
            conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }

        await using (conn)
        {
            try
            {
                await forward(conn).LastOrDefaultAsync().RunAsync(context.Stopping);
                return 0;
            }
            catch (SshConnectionException)
            {
                return 0; // the connection ended: the forward's normal end
            }
            catch (OperationCanceledException) when (context.Stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception exc) when (exc is SshException or SocketException)
            {
                if (failed?.Invoke(exc) is int code)
                {
                    return code;
                }

                context.Error.WriteLine("SSH connection failed: " + exc.Message);
                return 1;
            }
        }
    }
}
