using System.Net;
using System.Reactive.Linq;
using Rx.Ssh.Connection;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Transport;

namespace Rx.Ssh.Client;

/// <summary>What every session of a connection gets unless its own options say otherwise (<see cref="SshClientOptions.SessionEnvironment"/>, <see cref="SshClientOptions.SessionTerminal"/>, <see cref="SshClientOptions.RemoteCommand"/>).</summary>
internal sealed record SessionDefaults(IReadOnlyDictionary<string, string> Environment, SshTerminal? Terminal, string? RemoteCommand)
{
    public static SessionDefaults None { get; } = new(new Dictionary<string, string>(), null, null);

    public static SessionDefaults From(SshClientOptions options) =>
        options.SessionEnvironment.Count == 0 && options.SessionTerminal is null && options.RemoteCommand is null
            ? None
            : new(options.SessionEnvironment, options.SessionTerminal, options.RemoteCommand);
}

/// <summary>Session channel requests (RFC 4254 section 6).</summary>
internal static class SessionRequests
{
    /// <summary>Sends the session's requests: agent forwarding when asked, env (the connection's defaults, then the process's), pty-req, then <paramref name="requestType"/> (shell, exec, subsystem).</summary>
    public static async Task StartAsync(SshChannel channel, string requestType, string? command, SshProcessOptions options, SessionDefaults defaults, AgentForwarding? agentForwarding, CancellationToken cancellationToken)
    {
        if (requestType == "shell" && defaults.RemoteCommand is { } remoteCommand)
        {
            (requestType, command) = ("exec", remoteCommand);
        }

        if (agentForwarding is not null)
        {
            await agentForwarding.RequestAsync(channel, cancellationToken).ConfigureAwait(false);
        }

        IEnumerable<KeyValuePair<string, string>> environment = defaults.Environment.Count == 0
            ? options.Environment
            : defaults.Environment.Where(v => !options.Environment.ContainsKey(v.Key)).Concat(options.Environment);
        foreach (KeyValuePair<string, string> variable in environment)
        {
            // string "env", boolean want reply (false, as OpenSSH sends it), string name, string value
            await channel.SendRequestAsync("env", false, w =>
            {
                w.WriteString(variable.Key);
                w.WriteString(variable.Value);
            }, cancellationToken).ConfigureAwait(false);
        }

        if ((options.Terminal ?? defaults.Terminal) is { } t)
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
