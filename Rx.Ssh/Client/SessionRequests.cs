using System.Net;
using System.Reactive.Linq;
using Rx.Ssh.Connection;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Transport;

namespace Rx.Ssh.Client;

/// <summary>Session channel requests (RFC 4254 section 6).</summary>
internal static class SessionRequests
{
    public static Task StartAsync(SshChannel channel, string requestType, string? command, SshProcessOptions options, CancellationToken cancellationToken) =>
        StartAsync(channel, requestType, command, options, null, cancellationToken);

    /// <summary>Sends the session's requests: agent forwarding when asked, env, pty-req, then <paramref name="requestType"/> (shell, exec, subsystem).</summary>
    public static async Task StartAsync(SshChannel channel, string requestType, string? command, SshProcessOptions options, AgentForwarding? agentForwarding, CancellationToken cancellationToken)
    {
        if (agentForwarding is not null)
        {
            await agentForwarding.RequestAsync(channel, cancellationToken).ConfigureAwait(false);
        }

        foreach (KeyValuePair<string, string> variable in options.Environment)
        {
            // string "env", boolean want reply (false, as OpenSSH sends it), string name, string value
            await channel.SendRequestAsync("env", false, w =>
            {
                w.WriteString(variable.Key);
                w.WriteString(variable.Value);
            }, cancellationToken).ConfigureAwait(false);
        }

        if (options.Terminal is { } t)
        {
            // string TERM, uint32 cols, uint32 rows, uint32 width px, uint32 height px, string encoded terminal modes
            bool ok = await channel.SendRequestAsync("pty-req", true, w =>
            {
                w.WriteString(t.TerminalType);
                w.WriteUInt32((uint)t.Columns);
                w.WriteUInt32((uint)t.Rows);
                w.WriteUInt32((uint)t.PixelWidth);
                w.WriteUInt32((uint)t.PixelHeight);
                w.WriteString(TerminalModes.Encode(t.Modes));
            }, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                throw new SshChannelRequestException("pty-req");
            }
        }

        bool started = await channel.SendRequestAsync(requestType, true, command is null ? null : w => w.WriteString(command), cancellationToken).ConfigureAwait(false);
        if (!started)
        {
            throw new SshChannelRequestException(requestType);
        }
    }
}
