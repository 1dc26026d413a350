using Rx.Ssh.Fuzz.Engine;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>Every target, in the order a run visits them.</summary>
internal static class FuzzTargets
{
    /// <summary>All targets: text formats, SFTP both ways, SOCKS, ssh-agent replies, the transport before keys and the messages after them, in both roles.</summary>
    public static IReadOnlyList<FuzzTarget> All() =>
    [
        .. TextTargets.All(),
        SftpTargets.Requests(),
        SftpTargets.Replies(),
        new SocksTarget(),
        new AgentTarget(),
        TransportTargets.Server(),
        TransportTargets.Client(),
        MessageTargets.ToServer(),
        MessageTargets.ToClient(),
    ];
}
