using Microsoft.Extensions.Logging;

namespace Rx.Ssh;

/// <summary>
/// The event ids of everything the library logs, one per kind of event, grouped by layer (each
/// layer logs under its own category, <see cref="SshLogCategories"/>): filter or route on them.
/// Ids are stable: new events get new ids; 1000s transport, 2000s authentication, 3000s
/// connection, 4000s forwarding, 5000s server, 6000s client.
/// </summary>
public static class SshLogEvents
{
    /// <summary>The binary packet protocol and key exchange (category <c>Rx.Ssh.Transport</c>).</summary>
    public static class Transport
    {
        /// <summary>WriterStopped (1001), logged at Debug: <c>SSH writer stopped</c>.</summary>
        public static readonly EventId WriterStopped = new(1001, nameof(WriterStopped));

        /// <summary>PeerDebugMessage (1002), logged at Debug: <c>Peer debug message: {Message}</c>.</summary>
        public static readonly EventId PeerDebugMessage = new(1002, nameof(PeerDebugMessage));

        /// <summary>PeerUnimplemented (1003), logged at Debug: <c>Peer did not implement our packet {Sequence}</c>.</summary>
        public static readonly EventId PeerUnimplemented = new(1003, nameof(PeerUnimplemented));

        /// <summary>KeyExchangeDone (1004), logged at Debug: <c>Key exchange {Count} done: {Kex}, {HostKey}, {Cipher}</c>.</summary>
        public static readonly EventId KeyExchangeDone = new(1004, nameof(KeyExchangeDone));

        /// <summary>ReadingPaused (1005), logged at Debug: <c>Reading paused: {Replies} bytes of replies wait for a peer that does not read them</c> (it resumes when the writer has sent enough of them).</summary>
        public static readonly EventId ReadingPaused = new(1005, nameof(ReadingPaused));

        /// <summary>CompressionStarted (1006), logged at Debug when a direction's zlib stream starts (with the keys for <c>zlib</c>, after authentication for <c>zlib@openssh.com</c>, afresh after each re-key): <c>Compression started for {Direction} packets: {Method}</c>, the direction <c>outgoing</c> or <c>incoming</c>.</summary>
        public static readonly EventId CompressionStarted = new(1006, nameof(CompressionStarted));

        /// <summary>RemoteVersion (1090), logged at Debug: <c>Remote software version {Version}</c>.</summary>
        public static readonly EventId RemoteVersion = new(1090, nameof(RemoteVersion));
    }

    /// <summary>Client and server authentication (category <c>Rx.Ssh.Authentication</c>).</summary>
    public static class Authentication
    {
        /// <summary>MalformedUserName (2001), logged at Information: <c>Refused a malformed user name ({Bytes} bytes) from {Remote}</c>.</summary>
        public static readonly EventId MalformedUserName = new(2001, nameof(MalformedUserName));

        /// <summary>AuthAccepted (2002), logged at Information: <c>Accepted {Method} for {User} from {Remote}</c>.</summary>
        public static readonly EventId AuthAccepted = new(2002, nameof(AuthAccepted));

        /// <summary>AuthFailed (2003), logged at Information: <c>Failed {Method} for {User} from {Remote}</c>.</summary>
        public static readonly EventId AuthFailed = new(2003, nameof(AuthFailed));

        /// <summary>PublicKeyRefused (2004), logged at Information: <c>Refused public key of {User} from {Remote}: {Error}</c>.</summary>
        public static readonly EventId PublicKeyRefused = new(2004, nameof(PublicKeyRefused));

        /// <summary>CertificateRefused (2005), logged at Information: <c>Refused certificate of {User} from {Remote}: {Error}</c>.</summary>
        public static readonly EventId CertificateRefused = new(2005, nameof(CertificateRefused));

        /// <summary>AuthorizedKeyExpired (2006), logged at Information: <c>Refused public key of {User} from {Remote}: its authorized_keys entry expired during authentication</c>.</summary>
        public static readonly EventId AuthorizedKeyExpired = new(2006, nameof(AuthorizedKeyExpired));

        /// <summary>KeySkipped (2007), logged at Debug: <c>Skipping key {Key}: its signer can make none of its signature algorithms</c>.</summary>
        public static readonly EventId KeySkipped = new(2007, nameof(KeySkipped));

        /// <summary>SignerFailed (2008), logged at Warning: <c>The signer for {Key} failed: {Error}</c>.</summary>
        public static readonly EventId SignerFailed = new(2008, nameof(SignerFailed));

        /// <summary>KeyRejected (2009), logged at Debug: <c>Server rejected key {Key}</c>.</summary>
        public static readonly EventId KeyRejected = new(2009, nameof(KeyRejected));

        /// <summary>MethodTried (2090), logged at Debug: <c>Trying authentication method {Method} for {User}</c>.</summary>
        public static readonly EventId MethodTried = new(2090, nameof(MethodTried));

        /// <summary>Authenticated (2091), logged at Debug: <c>Authenticated as {User} with {Method}</c>.</summary>
        public static readonly EventId Authenticated = new(2091, nameof(Authenticated));
    }

    /// <summary>Channels and global requests (category <c>Rx.Ssh.Connection</c>).</summary>
    public static class Connection
    {
        /// <summary>ChannelLimit (3001), logged at Warning: <c>Refused a '{Type}' channel: {Max} channels are open or pending on this connection (MaxChannels)</c>.</summary>
        public static readonly EventId ChannelLimit = new(3001, nameof(ChannelLimit));

        /// <summary>ChannelOpenHandlerFailed (3002), logged at Warning: <c>The handler for channel type '{Type}' failed; the channel is refused</c>.</summary>
        public static readonly EventId ChannelOpenHandlerFailed = new(3002, nameof(ChannelOpenHandlerFailed));

        /// <summary>GlobalRequestHandlerFailed (3003), logged at Warning: <c>The handler for global request '{Name}' failed; answered with failure</c>.</summary>
        public static readonly EventId GlobalRequestHandlerFailed = new(3003, nameof(GlobalRequestHandlerFailed));

        /// <summary>ChannelRequestHandlerFailed (3004), logged at Warning: <c>The handler for channel request '{Name}' failed; answered with failure</c>.</summary>
        public static readonly EventId ChannelRequestHandlerFailed = new(3004, nameof(ChannelRequestHandlerFailed));

        /// <summary>UnusedConnectionTimeout (3005), logged at Information: <c>Closing connection from {Remote}: no channel open for {Seconds} s (unused connection timeout)</c>.</summary>
        public static readonly EventId UnusedConnectionTimeout = new(3005, nameof(UnusedConnectionTimeout));

        /// <summary>ChannelTimeout (3006), logged at Information: <c>Closing channel {Channel} ({Type}): nothing sent or received for {Seconds} s (channel timeout)</c>.</summary>
        public static readonly EventId ChannelTimeout = new(3006, nameof(ChannelTimeout));

        /// <summary>ChannelOpened (3090), logged at Debug: <c>Channel {Channel}: {Type}</c>.</summary>
        public static readonly EventId ChannelOpened = new(3090, nameof(ChannelOpened));

        /// <summary>ChannelClosed (3091), logged at Debug: <c>Channel {Channel} ({Type}) closed, {Left} open; received {Bytes} bytes in {Packets} packets, largest {LargestPacket}, {KeptWhole} kept whole, at most {InFlight} of the {Window}-byte window in flight</c>.</summary>
        public static readonly EventId ChannelClosed = new(3091, nameof(ChannelClosed));

        /// <summary>GlobalRequestReceived (3092), logged at Debug: <c>Global request {Name} received, want reply {WantReply}</c>.</summary>
        public static readonly EventId GlobalRequestReceived = new(3092, nameof(GlobalRequestReceived));

        /// <summary>GlobalReplyReceived (3093), logged at Debug: <c>Global request reply: {Success}</c>.</summary>
        public static readonly EventId GlobalReplyReceived = new(3093, nameof(GlobalReplyReceived));

        /// <summary>ReadingPaused (3094), logged at Debug: <c>Reading paused: channel {Channel} holds {Bytes} bytes of requests its consumer has not taken</c>, <c>Reading paused: {Count} channel opens wait for a decision</c> or <c>Reading paused: {Count} global requests wait for their handlers</c> (it resumes when they catch up).</summary>
        public static readonly EventId ReadingPaused = new(3094, nameof(ReadingPaused));

        /// <summary>WriteFromDone (3095), logged at Debug when a process writer's <c>WriteFromAsync</c> copy of an observable ends: <c>Channel {Channel}: wrote {Bytes} bytes from an observable, at most {Queued} of them queued at once</c>.</summary>
        public static readonly EventId WriteFromDone = new(3095, nameof(WriteFromDone));

        /// <summary>ChannelOpenDecided (3096), logged at Debug when a channel the peer opened is accepted, rejected, or abandoned because the connection ended: <c>Channel open '{Type}' {Decision}; {Pending} opens wait for a decision</c>.</summary>
        public static readonly EventId ChannelOpenDecided = new(3096, nameof(ChannelOpenDecided));

        /// <summary>WindowGrown (3097), logged at Debug when a channel's receive window is made larger (an SFTP transfer deeper than it, <c>SshChannelStream.GrowWindow</c>): <c>Channel {Channel}: receive window grown to {Window} bytes</c>.</summary>
        public static readonly EventId WindowGrown = new(3097, nameof(WindowGrown));

        /// <summary>KeepAliveSent (3098), logged at Debug when a <c>keepalive@openssh.com</c> request goes out (ServerAlive/ClientAlive): <c>Keepalive sent; {Unanswered} unanswered of at most {CountMax}</c> (this one included; any reply resets the count).</summary>
        public static readonly EventId KeepAliveSent = new(3098, nameof(KeepAliveSent));
    }

    /// <summary>The server's port forwarding (category <c>Rx.Ssh.Forwarding</c>).</summary>
    public static class Forwarding
    {
        /// <summary>DirectForwardRefused (4001), logged at Information: <c>Refused {Type} to {Target} for {User}: {Reason}</c>.</summary>
        public static readonly EventId DirectForwardRefused = new(4001, nameof(DirectForwardRefused));

        /// <summary>DirectForwardPolicyFailed (4002), logged at Warning: <c>The forwarding policy failed for {Type} to {Target}; refused</c>.</summary>
        public static readonly EventId DirectForwardPolicyFailed = new(4002, nameof(DirectForwardPolicyFailed));

        /// <summary>DirectForwardFailed (4003), logged at Information: <c>{Type} to {Target} for {User} failed: {Error}</c>.</summary>
        public static readonly EventId DirectForwardFailed = new(4003, nameof(DirectForwardFailed));

        /// <summary>DirectForwardHandlerFailed (4004), logged at Warning: <c>The in-process handler for {Type} to {Target} failed</c>.</summary>
        public static readonly EventId DirectForwardHandlerFailed = new(4004, nameof(DirectForwardHandlerFailed));

        /// <summary>ListenRefused (4005), logged at Information: <c>Refused {Request} on {Address} for {User}: {Reason}</c>.</summary>
        public static readonly EventId ListenRefused = new(4005, nameof(ListenRefused));

        /// <summary>ListenPolicyFailed (4006), logged at Warning: <c>The listen policy failed for {Address}; refused</c>.</summary>
        public static readonly EventId ListenPolicyFailed = new(4006, nameof(ListenPolicyFailed));

        /// <summary>ListenRefusedByPolicy (4007), logged at Information: <c>Refused {Request} on {Address} for {User} by the policy</c>.</summary>
        public static readonly EventId ListenRefusedByPolicy = new(4007, nameof(ListenRefusedByPolicy));

        /// <summary>ListenerLimit (4008), logged at Warning: <c>Refused {Request} on {Address} for {User}: at most {Max} forward listeners per connection</c>.</summary>
        public static readonly EventId ListenerLimit = new(4008, nameof(ListenerLimit));

        /// <summary>ListenFailed (4009), logged at Information: <c>Cannot listen on {Address} for {User}: {Error}</c>.</summary>
        public static readonly EventId ListenFailed = new(4009, nameof(ListenFailed));

        /// <summary>Listening (4010), logged at Debug: <c>Listening on {Address} ({Port}) for {User}</c>.</summary>
        public static readonly EventId Listening = new(4010, nameof(Listening));

        /// <summary>ForwardedChannelLimit (4011), logged at Information: <c>Connection to {Address} closed: at most {Max} forwarded channels</c>.</summary>
        public static readonly EventId ForwardedChannelLimit = new(4011, nameof(ForwardedChannelLimit));

        /// <summary>ForwardedChannelFailed (4012), logged at Information: <c>{Type} for {Address} not opened: {Error}</c>.</summary>
        public static readonly EventId ForwardedChannelFailed = new(4012, nameof(ForwardedChannelFailed));

        /// <summary>ForwardEnded (4013), logged at Debug: <c>{Type} {Target} from {Originator} for {User} ended: {In} bytes in, {Out} bytes out, {Error}</c>.</summary>
        public static readonly EventId ForwardEnded = new(4013, nameof(ForwardEnded));

        /// <summary>StoppedListening (4014), logged at Debug when a forward listener is unbound (cancelled, or the connection ended): <c>Stopped listening on {Address} ({Port}) for {User}: {Reason}; {Left} listeners left</c>.</summary>
        public static readonly EventId StoppedListening = new(4014, nameof(StoppedListening));

        /// <summary>AgentSocketFailed (4020), logged at Warning: <c>Refusing agent forwarding: cannot make the agent socket: {Message}</c>.</summary>
        public static readonly EventId AgentSocketFailed = new(4020, nameof(AgentSocketFailed));

        /// <summary>AgentConnectionLimit (4021), logged at Warning: <c>Closing an agent connection: {Max} already relayed for this session</c>.</summary>
        public static readonly EventId AgentConnectionLimit = new(4021, nameof(AgentConnectionLimit));

        /// <summary>AgentChannelRefusedByClient (4022), logged at Debug: <c>The client refused a forwarded agent channel: {Message}</c>.</summary>
        public static readonly EventId AgentChannelRefusedByClient = new(4022, nameof(AgentChannelRefusedByClient));
    }

    /// <summary>The server: listeners, accepts, handlers (category <c>Rx.Ssh.Server</c>).</summary>
    public static class Server
    {
        /// <summary>ProcessHandlerFailed (5001), logged at Error: <c>Process handler failed for {User}</c>.</summary>
        public static readonly EventId ProcessHandlerFailed = new(5001, nameof(ProcessHandlerFailed));

        /// <summary>HandlerFailureNotReported (5002), logged at Debug: <c>Could not report the handler failure on stderr</c>.</summary>
        public static readonly EventId HandlerFailureNotReported = new(5002, nameof(HandlerFailureNotReported));

        /// <summary>SessionHandlerFailed (5003), logged at Warning: <c>Session handler failed</c>.</summary>
        public static readonly EventId SessionHandlerFailed = new(5003, nameof(SessionHandlerFailed));

        /// <summary>ConnectionLostCallbackFailed (5004), logged at Warning: <c>ConnectionLost callback failed</c>.</summary>
        public static readonly EventId ConnectionLostCallbackFailed = new(5004, nameof(ConnectionLostCallbackFailed));

        /// <summary>ConnectionRefused (5005), logged at Warning: <c>Refusing connection from {Remote}: {Reason}</c>.</summary>
        public static readonly EventId ConnectionRefused = new(5005, nameof(ConnectionRefused));

        /// <summary>HandlerFactoryFailed (5006), logged at Warning: <c>Connection from {Remote} refused: the server handler failed</c>.</summary>
        public static readonly EventId HandlerFactoryFailed = new(5006, nameof(HandlerFactoryFailed));

        /// <summary>PreAuthEnded (5007), logged at Information: <c>Connection from {Remote} ended before authentication: {Error}</c>.</summary>
        public static readonly EventId PreAuthEnded = new(5007, nameof(PreAuthEnded));

        /// <summary>PenaltyTableFull (5008), logged at Warning: <c>Source penalty table full ({Max} sources): {Remote} not penalized</c>.</summary>
        public static readonly EventId PenaltyTableFull = new(5008, nameof(PenaltyTableFull));

        /// <summary>AuthenticatedCallbackFailed (5009), logged at Warning: <c>Connection from {Remote} closed: the Authenticated callback failed</c>.</summary>
        public static readonly EventId AuthenticatedCallbackFailed = new(5009, nameof(AuthenticatedCallbackFailed));

        /// <summary>QueuedRequestDropped (5010), logged at Warning: <c>Dropped a {What} from {User}: {Limit} are already waiting for the process handler to subscribe</c>.</summary>
        public static readonly EventId QueuedRequestDropped = new(5010, nameof(QueuedRequestDropped));

        /// <summary>ConnectionResetBeforeServed (5011), logged at Debug: <c>Dropping a connection reset before it was served</c>.</summary>
        public static readonly EventId ConnectionResetBeforeServed = new(5011, nameof(ConnectionResetBeforeServed));

        /// <summary>PreAuthFailed (5012), logged at Debug: <c>Connection from {Remote} failed before authentication</c>.</summary>
        public static readonly EventId PreAuthFailed = new(5012, nameof(PreAuthFailed));

        /// <summary>SubscriberFailed (5013), logged at Error: <c>A subscriber's OnNext threw; the server carries on</c>; Error: <c>A subscriber's OnError threw; the server carries on</c>; Error: <c>A subscriber's OnCompleted threw; the server carries on</c>.</summary>
        public static readonly EventId SubscriberFailed = new(5013, nameof(SubscriberFailed));

        /// <summary>AuthorizedKeysUnreadable (5014), logged at Warning: <c>Cannot read the authorized keys of {User}</c>.</summary>
        public static readonly EventId AuthorizedKeysUnreadable = new(5014, nameof(AuthorizedKeysUnreadable));

        /// <summary>SubsystemHandlerFailed (5015), logged at Error: <c>Subsystem handler '{Subsystem}' failed for {User}</c>.</summary>
        public static readonly EventId SubsystemHandlerFailed = new(5015, nameof(SubsystemHandlerFailed));

        /// <summary>ListenerClosed (5016), logged at Error: <c>The listening socket was closed; no more connections are accepted</c>.</summary>
        public static readonly EventId ListenerClosed = new(5016, nameof(ListenerClosed));

        /// <summary>AcceptFailed (5017), logged at Warning: <c>Accepting a connection failed; trying again in {Delay} ms</c>.</summary>
        public static readonly EventId AcceptFailed = new(5017, nameof(AcceptFailed));

        /// <summary>AuthenticationEnded (5018), logged at Debug when a listener's connection stops counting toward <c>MaxUnauthenticatedConnections</c>: <c>Connection from {Remote} done authenticating (authenticated, refused or gone); {Unauthenticated} still authenticating</c>.</summary>
        public static readonly EventId AuthenticationEnded = new(5018, nameof(AuthenticationEnded));
    }

    /// <summary>The client: connecting, keys, configuration, jump hosts, reverse listeners (category <c>Rx.Ssh.Client</c>).</summary>
    public static class Client
    {
        /// <summary>ConfigForwardEnded (6001), logged at Debug: <c>{Kind}Forward {Forward} ended: {Error}</c>.</summary>
        public static readonly EventId ConfigForwardEnded = new(6001, nameof(ConfigForwardEnded));

        /// <summary>ConfigForwardStarted (6002), logged at Debug: <c>{Kind}Forward {Forward} started</c>.</summary>
        public static readonly EventId ConfigForwardStarted = new(6002, nameof(ConfigForwardStarted));

        /// <summary>ConfigResolved (6003), logged at Debug: <c>SSH configuration: {Host} is {HostName} port {Port}</c>.</summary>
        public static readonly EventId ConfigResolved = new(6003, nameof(ConfigResolved));

        /// <summary>ConfigForwardFailed (6004), logged at Warning: <c>{Kind}Forward {Forward} could not be started: {Error}</c>.</summary>
        public static readonly EventId ConfigForwardFailed = new(6004, nameof(ConfigForwardFailed));

        /// <summary>ConfigAlgorithmSkipped (6005), logged at Debug: <c>{Keyword}: {Name} is not implemented; skipped</c>.</summary>
        public static readonly EventId ConfigAlgorithmSkipped = new(6005, nameof(ConfigAlgorithmSkipped));

        /// <summary>ConfigFileSkipped (6006), logged at Debug: <c>IdentityFile {File} does not exist; skipped</c>; Debug: <c>CertificateFile {File} does not exist; skipped</c>.</summary>
        public static readonly EventId ConfigFileSkipped = new(6006, nameof(ConfigFileSkipped));

        /// <summary>DefaultKeySkipped (6007), logged at Warning: <c>Skipping default key {Path}: {Message}</c>.</summary>
        public static readonly EventId DefaultKeySkipped = new(6007, nameof(DefaultKeySkipped));

        /// <summary>CertificateSkipped (6008), logged at Warning: <c>Skipping certificate {Path}: {Message}</c>.</summary>
        public static readonly EventId CertificateSkipped = new(6008, nameof(CertificateSkipped));

        /// <summary>ConnectionResetBeforeServed (6009), logged at Debug: <c>Dropping a connection reset before it was served</c>.</summary>
        public static readonly EventId ConnectionResetBeforeServed = new(6009, nameof(ConnectionResetBeforeServed));

        /// <summary>ReverseAbandoned (6010), logged at Debug: <c>Reverse connection from {Remote} abandoned: the listener stopped</c>.</summary>
        public static readonly EventId ReverseAbandoned = new(6010, nameof(ReverseAbandoned));

        /// <summary>SubscriberFailed (6011), logged at Error: <c>A subscriber's OnNext threw; the reverse listener carries on</c>.</summary>
        public static readonly EventId SubscriberFailed = new(6011, nameof(SubscriberFailed));

        /// <summary>ReverseDisconnected (6012), logged at Warning: <c>Reverse connection from {Remote} disconnected: {Reason}</c>.</summary>
        public static readonly EventId ReverseDisconnected = new(6012, nameof(ReverseDisconnected));

        /// <summary>ReverseFailed (6013), logged at Information: <c>Reverse connection from {Remote} failed: {Error}</c>.</summary>
        public static readonly EventId ReverseFailed = new(6013, nameof(ReverseFailed));

        /// <summary>PeerFailedCallbackFailed (6014), logged at Warning: <c>The PeerFailed callback failed</c>.</summary>
        public static readonly EventId PeerFailedCallbackFailed = new(6014, nameof(PeerFailedCallbackFailed));

        /// <summary>JumpHostConnected (6015), logged at Debug: <c>Connected to jump host {Hop} (hop {Index}) as {User}</c>.</summary>
        public static readonly EventId JumpHostConnected = new(6015, nameof(JumpHostConnected));

        /// <summary>ProxyCommandStarted (6016), logged at Debug: <c>Started ProxyCommand {Command} as process {Pid}</c>.</summary>
        public static readonly EventId ProxyCommandStarted = new(6016, nameof(ProxyCommandStarted));

        /// <summary>ProxyCommandStderr (6017), logged at Information: <c>ProxyCommand: {Line}</c>.</summary>
        public static readonly EventId ProxyCommandStderr = new(6017, nameof(ProxyCommandStderr));

        /// <summary>AgentForwardRefused (6030), logged at Warning: <c>Refusing a forwarded agent channel: cannot connect to the agent at {Path}: {Message}</c>.</summary>
        public static readonly EventId AgentForwardRefused = new(6030, nameof(AgentForwardRefused));

        /// <summary>AgentForwardEnded (6031), logged at Debug: <c>A forwarded agent connection ended with an error: {Message}</c>.</summary>
        public static readonly EventId AgentForwardEnded = new(6031, nameof(AgentForwardEnded));

        /// <summary>AgentIdentities (6032), logged at Debug: <c>The agent at {Path} holds {Count} usable identities</c>.</summary>
        public static readonly EventId AgentIdentities = new(6032, nameof(AgentIdentities));

        /// <summary>AgentUnusable (6033), logged at Warning: <c>Not using the agent: {Message}</c>.</summary>
        public static readonly EventId AgentUnusable = new(6033, nameof(AgentUnusable));

        /// <summary>KeyFileIgnored (6034), logged at Debug: <c>Ignoring {Path}: {Message}</c>.</summary>
        public static readonly EventId KeyFileIgnored = new(6034, nameof(KeyFileIgnored));

        /// <summary>ConfigKeywordIgnored (6035), logged at Debug: <c>{File} line {Line}: unknown keyword {Keyword} ignored</c>.</summary>
        public static readonly EventId ConfigKeywordIgnored = new(6035, nameof(ConfigKeywordIgnored));

        /// <summary>JumpHostClosed (6036), logged at Debug as each jump host's connection is closed, the last hop first: <c>Closed jump host {Hop} (hop {Index}): {Error}</c>.</summary>
        public static readonly EventId JumpHostClosed = new(6036, nameof(JumpHostClosed));
    }
}
