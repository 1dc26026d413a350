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
        /// <summary>WriterStopped (1001).</summary>
        public static readonly EventId WriterStopped = new(1001, nameof(WriterStopped));

        /// <summary>PeerDebugMessage (1002).</summary>
        public static readonly EventId PeerDebugMessage = new(1002, nameof(PeerDebugMessage));

        /// <summary>PeerUnimplemented (1003).</summary>
        public static readonly EventId PeerUnimplemented = new(1003, nameof(PeerUnimplemented));

        /// <summary>KeyExchangeDone (1004).</summary>
        public static readonly EventId KeyExchangeDone = new(1004, nameof(KeyExchangeDone));

        /// <summary>RemoteVersion (1090).</summary>
        public static readonly EventId RemoteVersion = new(1090, nameof(RemoteVersion));
    }

    /// <summary>Client and server authentication (category <c>Rx.Ssh.Authentication</c>).</summary>
    public static class Authentication
    {
        /// <summary>MalformedUserName (2001).</summary>
        public static readonly EventId MalformedUserName = new(2001, nameof(MalformedUserName));

        /// <summary>AuthAccepted (2002).</summary>
        public static readonly EventId AuthAccepted = new(2002, nameof(AuthAccepted));

        /// <summary>AuthFailed (2003).</summary>
        public static readonly EventId AuthFailed = new(2003, nameof(AuthFailed));

        /// <summary>PublicKeyRefused (2004).</summary>
        public static readonly EventId PublicKeyRefused = new(2004, nameof(PublicKeyRefused));

        /// <summary>CertificateRefused (2005).</summary>
        public static readonly EventId CertificateRefused = new(2005, nameof(CertificateRefused));

        /// <summary>AuthorizedKeyExpired (2006).</summary>
        public static readonly EventId AuthorizedKeyExpired = new(2006, nameof(AuthorizedKeyExpired));

        /// <summary>KeySkipped (2007).</summary>
        public static readonly EventId KeySkipped = new(2007, nameof(KeySkipped));

        /// <summary>SignerFailed (2008).</summary>
        public static readonly EventId SignerFailed = new(2008, nameof(SignerFailed));

        /// <summary>KeyRejected (2009).</summary>
        public static readonly EventId KeyRejected = new(2009, nameof(KeyRejected));

        /// <summary>MethodTried (2090).</summary>
        public static readonly EventId MethodTried = new(2090, nameof(MethodTried));

        /// <summary>Authenticated (2091).</summary>
        public static readonly EventId Authenticated = new(2091, nameof(Authenticated));
    }

    /// <summary>Channels and global requests (category <c>Rx.Ssh.Connection</c>).</summary>
    public static class Connection
    {
        /// <summary>ChannelLimit (3001).</summary>
        public static readonly EventId ChannelLimit = new(3001, nameof(ChannelLimit));

        /// <summary>ChannelOpenHandlerFailed (3002).</summary>
        public static readonly EventId ChannelOpenHandlerFailed = new(3002, nameof(ChannelOpenHandlerFailed));

        /// <summary>GlobalRequestHandlerFailed (3003).</summary>
        public static readonly EventId GlobalRequestHandlerFailed = new(3003, nameof(GlobalRequestHandlerFailed));

        /// <summary>ChannelRequestHandlerFailed (3004).</summary>
        public static readonly EventId ChannelRequestHandlerFailed = new(3004, nameof(ChannelRequestHandlerFailed));

        /// <summary>UnusedConnectionTimeout (3005).</summary>
        public static readonly EventId UnusedConnectionTimeout = new(3005, nameof(UnusedConnectionTimeout));

        /// <summary>ChannelTimeout (3006).</summary>
        public static readonly EventId ChannelTimeout = new(3006, nameof(ChannelTimeout));

        /// <summary>ChannelOpened (3090).</summary>
        public static readonly EventId ChannelOpened = new(3090, nameof(ChannelOpened));

        /// <summary>ChannelClosed (3091).</summary>
        public static readonly EventId ChannelClosed = new(3091, nameof(ChannelClosed));
    }

    /// <summary>The server's port forwarding (category <c>Rx.Ssh.Forwarding</c>).</summary>
    public static class Forwarding
    {
        /// <summary>DirectForwardRefused (4001).</summary>
        public static readonly EventId DirectForwardRefused = new(4001, nameof(DirectForwardRefused));

        /// <summary>DirectForwardPolicyFailed (4002).</summary>
        public static readonly EventId DirectForwardPolicyFailed = new(4002, nameof(DirectForwardPolicyFailed));

        /// <summary>DirectForwardFailed (4003).</summary>
        public static readonly EventId DirectForwardFailed = new(4003, nameof(DirectForwardFailed));

        /// <summary>DirectForwardHandlerFailed (4004).</summary>
        public static readonly EventId DirectForwardHandlerFailed = new(4004, nameof(DirectForwardHandlerFailed));

        /// <summary>ListenRefused (4005).</summary>
        public static readonly EventId ListenRefused = new(4005, nameof(ListenRefused));

        /// <summary>ListenPolicyFailed (4006).</summary>
        public static readonly EventId ListenPolicyFailed = new(4006, nameof(ListenPolicyFailed));

        /// <summary>ListenRefusedByPolicy (4007).</summary>
        public static readonly EventId ListenRefusedByPolicy = new(4007, nameof(ListenRefusedByPolicy));

        /// <summary>ListenerLimit (4008).</summary>
        public static readonly EventId ListenerLimit = new(4008, nameof(ListenerLimit));

        /// <summary>ListenFailed (4009).</summary>
        public static readonly EventId ListenFailed = new(4009, nameof(ListenFailed));

        /// <summary>Listening (4010).</summary>
        public static readonly EventId Listening = new(4010, nameof(Listening));

        /// <summary>ForwardedChannelLimit (4011).</summary>
        public static readonly EventId ForwardedChannelLimit = new(4011, nameof(ForwardedChannelLimit));

        /// <summary>ForwardedChannelFailed (4012).</summary>
        public static readonly EventId ForwardedChannelFailed = new(4012, nameof(ForwardedChannelFailed));

        /// <summary>ForwardEnded (4013).</summary>
        public static readonly EventId ForwardEnded = new(4013, nameof(ForwardEnded));

        /// <summary>AgentSocketFailed (4020).</summary>
        public static readonly EventId AgentSocketFailed = new(4020, nameof(AgentSocketFailed));

        /// <summary>AgentConnectionLimit (4021).</summary>
        public static readonly EventId AgentConnectionLimit = new(4021, nameof(AgentConnectionLimit));

        /// <summary>AgentChannelRefusedByClient (4022).</summary>
        public static readonly EventId AgentChannelRefusedByClient = new(4022, nameof(AgentChannelRefusedByClient));
    }

    /// <summary>The server: listeners, accepts, handlers (category <c>Rx.Ssh.Server</c>).</summary>
    public static class Server
    {
        /// <summary>ProcessHandlerFailed (5001).</summary>
        public static readonly EventId ProcessHandlerFailed = new(5001, nameof(ProcessHandlerFailed));

        /// <summary>HandlerFailureNotReported (5002).</summary>
        public static readonly EventId HandlerFailureNotReported = new(5002, nameof(HandlerFailureNotReported));

        /// <summary>SessionHandlerFailed (5003).</summary>
        public static readonly EventId SessionHandlerFailed = new(5003, nameof(SessionHandlerFailed));

        /// <summary>ConnectionLostCallbackFailed (5004).</summary>
        public static readonly EventId ConnectionLostCallbackFailed = new(5004, nameof(ConnectionLostCallbackFailed));

        /// <summary>ConnectionRefused (5005).</summary>
        public static readonly EventId ConnectionRefused = new(5005, nameof(ConnectionRefused));

        /// <summary>HandlerFactoryFailed (5006).</summary>
        public static readonly EventId HandlerFactoryFailed = new(5006, nameof(HandlerFactoryFailed));

        /// <summary>PreAuthEnded (5007).</summary>
        public static readonly EventId PreAuthEnded = new(5007, nameof(PreAuthEnded));

        /// <summary>PenaltyTableFull (5008).</summary>
        public static readonly EventId PenaltyTableFull = new(5008, nameof(PenaltyTableFull));

        /// <summary>AuthenticatedCallbackFailed (5009).</summary>
        public static readonly EventId AuthenticatedCallbackFailed = new(5009, nameof(AuthenticatedCallbackFailed));

        /// <summary>QueuedRequestDropped (5010).</summary>
        public static readonly EventId QueuedRequestDropped = new(5010, nameof(QueuedRequestDropped));

        /// <summary>ConnectionResetBeforeServed (5011).</summary>
        public static readonly EventId ConnectionResetBeforeServed = new(5011, nameof(ConnectionResetBeforeServed));

        /// <summary>PreAuthFailed (5012).</summary>
        public static readonly EventId PreAuthFailed = new(5012, nameof(PreAuthFailed));

        /// <summary>SubscriberFailed (5013).</summary>
        public static readonly EventId SubscriberFailed = new(5013, nameof(SubscriberFailed));

        /// <summary>AuthorizedKeysUnreadable (5014).</summary>
        public static readonly EventId AuthorizedKeysUnreadable = new(5014, nameof(AuthorizedKeysUnreadable));

        /// <summary>SubsystemHandlerFailed (5015).</summary>
        public static readonly EventId SubsystemHandlerFailed = new(5015, nameof(SubsystemHandlerFailed));

        /// <summary>ListenerClosed (5016).</summary>
        public static readonly EventId ListenerClosed = new(5016, nameof(ListenerClosed));

        /// <summary>AcceptFailed (5017).</summary>
        public static readonly EventId AcceptFailed = new(5017, nameof(AcceptFailed));
    }

    /// <summary>The client: connecting, keys, configuration, jump hosts, reverse listeners (category <c>Rx.Ssh.Client</c>).</summary>
    public static class Client
    {
        /// <summary>ConfigForwardEnded (6001).</summary>
        public static readonly EventId ConfigForwardEnded = new(6001, nameof(ConfigForwardEnded));

        /// <summary>ConfigForwardStarted (6002).</summary>
        public static readonly EventId ConfigForwardStarted = new(6002, nameof(ConfigForwardStarted));

        /// <summary>ConfigResolved (6003).</summary>
        public static readonly EventId ConfigResolved = new(6003, nameof(ConfigResolved));

        /// <summary>ConfigForwardFailed (6004).</summary>
        public static readonly EventId ConfigForwardFailed = new(6004, nameof(ConfigForwardFailed));

        /// <summary>ConfigAlgorithmSkipped (6005).</summary>
        public static readonly EventId ConfigAlgorithmSkipped = new(6005, nameof(ConfigAlgorithmSkipped));

        /// <summary>ConfigFileSkipped (6006).</summary>
        public static readonly EventId ConfigFileSkipped = new(6006, nameof(ConfigFileSkipped));

        /// <summary>DefaultKeySkipped (6007).</summary>
        public static readonly EventId DefaultKeySkipped = new(6007, nameof(DefaultKeySkipped));

        /// <summary>CertificateSkipped (6008).</summary>
        public static readonly EventId CertificateSkipped = new(6008, nameof(CertificateSkipped));

        /// <summary>ConnectionResetBeforeServed (6009).</summary>
        public static readonly EventId ConnectionResetBeforeServed = new(6009, nameof(ConnectionResetBeforeServed));

        /// <summary>ReverseAbandoned (6010).</summary>
        public static readonly EventId ReverseAbandoned = new(6010, nameof(ReverseAbandoned));

        /// <summary>SubscriberFailed (6011).</summary>
        public static readonly EventId SubscriberFailed = new(6011, nameof(SubscriberFailed));

        /// <summary>ReverseDisconnected (6012).</summary>
        public static readonly EventId ReverseDisconnected = new(6012, nameof(ReverseDisconnected));

        /// <summary>ReverseFailed (6013).</summary>
        public static readonly EventId ReverseFailed = new(6013, nameof(ReverseFailed));

        /// <summary>PeerFailedCallbackFailed (6014).</summary>
        public static readonly EventId PeerFailedCallbackFailed = new(6014, nameof(PeerFailedCallbackFailed));

        /// <summary>JumpHostConnected (6015).</summary>
        public static readonly EventId JumpHostConnected = new(6015, nameof(JumpHostConnected));

        /// <summary>ProxyCommandStarted (6016).</summary>
        public static readonly EventId ProxyCommandStarted = new(6016, nameof(ProxyCommandStarted));

        /// <summary>ProxyCommandStderr (6017).</summary>
        public static readonly EventId ProxyCommandStderr = new(6017, nameof(ProxyCommandStderr));

        /// <summary>AgentForwardRefused (6030).</summary>
        public static readonly EventId AgentForwardRefused = new(6030, nameof(AgentForwardRefused));

        /// <summary>AgentForwardEnded (6031).</summary>
        public static readonly EventId AgentForwardEnded = new(6031, nameof(AgentForwardEnded));

        /// <summary>AgentIdentities (6032).</summary>
        public static readonly EventId AgentIdentities = new(6032, nameof(AgentIdentities));

        /// <summary>AgentUnusable (6033).</summary>
        public static readonly EventId AgentUnusable = new(6033, nameof(AgentUnusable));

        /// <summary>KeyFileIgnored (6034).</summary>
        public static readonly EventId KeyFileIgnored = new(6034, nameof(KeyFileIgnored));
    }
}
