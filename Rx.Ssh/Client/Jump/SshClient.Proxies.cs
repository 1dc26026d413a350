using Microsoft.Extensions.Logging;
using Rx.Ssh.Client.Jump;

namespace Rx.Ssh;

// Reaching the server through jump hosts (ProxyJump) or a proxy command (ProxyCommand): both end
// in the stream form of the connect, over the last hop's direct-tcpip channel or the process's pipes.
public static partial class SshClient
{
    /// <summary>
    /// Logs in to each hop of <see cref="SshClientOptions.ProxyJump"/> in turn, each over a
    /// <c>direct-tcpip</c> channel of the one before (the first over TCP, or its own route), then to
    /// the target over the last hop's channel. The target connection's stream owns the hops.
    /// </summary>
    private static async Task<SshClientConnection> ConnectThroughJumpsAsync(string host, int port, SshClientOptions options, int hopsAbove, CancellationToken cancellationToken)
    {
        IReadOnlyList<SshProxyJump> jumps = options.ProxyJump;
        int hopsBelow = hopsAbove + jumps.Count;
        if (hopsBelow > SshProxyJump.MaxHops)
        {
            throw new ArgumentException($"The connection to {host} goes through more than {SshProxyJump.MaxHops} jump hosts (a jump host's own ProxyJump names itself?).", nameof(options));
        }

        ILogger logger = options.Loggers.Client;
        var hops = new List<JumpHop>(jumps.Count);
        SshChannelStream? channel = null;
        try
        {
            for (int i = 0; i < jumps.Count; i++)
            {
                SshProxyJump jump = jumps[i] ?? throw new ArgumentException($"ProxyJump[{i}] is null.", nameof(options));
                SshClientConnection connection = await ConnectHopAsync(jump, i, channel, options, hopsBelow, hops, cancellationToken).ConfigureAwait(false);
                channel = null; // the hop's connection owns it now
                hops.Add(new JumpHop(jump, i, connection));
                logger.LogDebug(SshLogEvents.Client.JumpHostConnected, "Connected to jump host {Hop} (hop {Index}) as {User}", jump, i + 1, connection.UserName);

                (string nextHost, int nextPort) = i + 1 < jumps.Count ? (jumps[i + 1].Host, jumps[i + 1].Port) : (host, port);
                channel = await OpenHopChannelAsync(hops, nextHost, nextPort, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            if (channel is not null)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }

            await JumpChainStream.CloseAsync(hops, logger).ConfigureAwait(false);
            throw;
        }

        var chain = new JumpChainStream(channel!, hops, logger);
        try
        {
            options.ConnectionEvents?.Invoke(new SshTcpConnected(host, port, null));
        }
        catch
        {
            await chain.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // From here the stream (and with it every hop) belongs to the target connection, closed if it fails.
        return await ConnectAsync(chain, host, port, null, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects to hop <paramref name="index"/>: the first by its own route, the others over <paramref name="channel"/>; a failure names the hop.</summary>
    private static async Task<SshClientConnection> ConnectHopAsync(
        SshProxyJump jump, int index, SshChannelStream? channel, SshClientOptions target, int hopsBelow, IReadOnlyList<JumpHop> before, CancellationToken cancellationToken)
    {
        SshClientOptions options = jump.OptionsFor(target);
        try
        {
            if (channel is not null)
            {
                return await ConnectAsync(channel, jump.Host, jump.Port, null, options, cancellationToken).ConfigureAwait(false);
            }

            if (jump.OpenStream is { } open)
            {
                Stream stream = await open(cancellationToken).ConfigureAwait(false);
                return await ConnectAsync(stream, jump.Host, jump.Port, null, options, cancellationToken).ConfigureAwait(false);
            }

            return await ConnectRoutedAsync(jump.Host, jump.Port, options, hopsBelow, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
        {
            // A hop before this one ending is the cause of this one failing over its channel.
            throw JumpChainStream.LostHop(before)
                ?? (ex is SshProxyJumpException ? ex : new SshProxyJumpException(SshProxyJumpFailure.Connect, jump.Host, jump.Port, index, null, 0, ex));
        }
    }

    /// <summary>Asks the last of <paramref name="hops"/> for a <c>direct-tcpip</c> channel to the next host, within the connect timeout.</summary>
    private static async Task<SshChannelStream> OpenHopChannelAsync(IReadOnlyList<JumpHop> hops, string nextHost, int nextPort, SshClientOptions options, CancellationToken cancellationToken)
    {
        JumpHop hop = hops[^1];
        using var timeout = new TimeoutScope(options, cancellationToken);
        Exception cause;
        try
        {
            using (timeout.Arm(options.ConnectTimeout, "channel open"))
            {
                return await hop.Connection.OpenDirectTcpAsync(nextHost, nextPort, cancellationToken: timeout.Token).ConfigureAwait(false);
            }
        }
        catch (SshChannelOpenException ex)
        {
            cause = ex;
        }
        catch (SshConnectionException ex)
        {
            cause = ex;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                timeout.ThrowIfTimedOut(ex);
                throw;
            }
            catch (SshConnectionException timedOut)
            {
                cause = timedOut;
            }
        }

        throw JumpChainStream.LostHop(hops)
            ?? new SshProxyJumpException(SshProxyJumpFailure.OpenChannel, hop.Jump.Host, hop.Jump.Port, hop.Index, nextHost, nextPort, cause);
    }

    /// <summary>Starts <see cref="SshClientOptions.ProxyCommand"/> and connects over its stdin and stdout.</summary>
    private static async Task<SshClientConnection> ConnectThroughCommandAsync(string host, int port, string command, SshClientOptions options, CancellationToken cancellationToken)
    {
        string line = ProxyCommandLine.Expand(command, host, port, options.UserName);
        ProxyCommandStream stream = ProxyCommandStream.Start(line, options.Loggers.Client);
        try
        {
            options.ConnectionEvents?.Invoke(new SshTcpConnected(host, port, null));
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return await ConnectAsync(stream, host, port, null, options, cancellationToken).ConfigureAwait(false);
    }
}
