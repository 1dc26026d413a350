using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Algorithms.Macs;
using Rx.Ssh.Messages.Transport;

namespace Rx.Ssh.Transport;

/// <summary>The algorithms both sides agreed on for one key exchange (RFC 4253 section 7.1).</summary>
internal sealed record NegotiatedAlgorithms(
    KeyExchangeAlgorithm KeyExchange,
    string HostKey,
    CipherAlgorithm CipherClientToServer,
    CipherAlgorithm CipherServerToClient,
    MacAlgorithm? MacClientToServer,
    MacAlgorithm? MacServerToClient,
    string CompressionClientToServer,
    string CompressionServerToClient)
{
    /// <summary>Picks the first client algorithm the server also supports, per kind.</summary>
    public static NegotiatedAlgorithms Negotiate(KexInitMessage client, KexInitMessage server)
    {
        string kex = Pick("key exchange", client.KexAlgorithms, server.KexAlgorithms);
        string hostKey = Pick("host key", client.HostKeyAlgorithms, server.HostKeyAlgorithms);
        CipherAlgorithm c2s = AlgorithmCatalog.Ciphers[Pick("cipher (client to server)", client.CiphersClientToServer, server.CiphersClientToServer)];
        CipherAlgorithm s2c = AlgorithmCatalog.Ciphers[Pick("cipher (server to client)", client.CiphersServerToClient, server.CiphersServerToClient)];
        MacAlgorithm? macC2s = c2s.IsAead ? null : AlgorithmCatalog.Macs[Pick("MAC (client to server)", client.MacsClientToServer, server.MacsClientToServer)];
        MacAlgorithm? macS2c = s2c.IsAead ? null : AlgorithmCatalog.Macs[Pick("MAC (server to client)", client.MacsServerToClient, server.MacsServerToClient)];
        string compC2s = Pick("compression (client to server)", client.CompressionClientToServer, server.CompressionClientToServer);
        string compS2c = Pick("compression (server to client)", client.CompressionServerToClient, server.CompressionServerToClient);
        return new NegotiatedAlgorithms(AlgorithmCatalog.KeyExchange[kex], hostKey, c2s, s2c, macC2s, macS2c, compC2s, compS2c);
    }

    private static string Pick(string kind, string[] client, string[] server)
    {
        foreach (string name in client)
        {
            if (Array.IndexOf(server, name) >= 0)
            {
                return name;
            }
        }

        throw new SshKeyExchangeException(kind, client, server);
    }
}
