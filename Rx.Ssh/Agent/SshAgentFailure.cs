namespace Rx.Ssh;

/// <summary>What went wrong talking to an ssh-agent (<see cref="SshAgentException.Failure"/>).</summary>
public enum SshAgentFailure
{
    /// <summary>The socket could not be reached (no such file, nothing listening, permission) or the agent closed the connection.</summary>
    Unavailable,

    /// <summary>The agent answered <c>SSH_AGENT_FAILURE</c>: it refused the request (an unknown key, a locked agent, a wrong passphrase, a refused confirmation).</summary>
    Refused,

    /// <summary>The agent's reply broke the protocol: a length over the bound, a truncated or malformed message, an unexpected message type, trailing bytes.</summary>
    InvalidReply,

    /// <summary>The agent did not answer within the request timeout. The connection is closed, as it can no longer be kept in step.</summary>
    TimedOut,
}
