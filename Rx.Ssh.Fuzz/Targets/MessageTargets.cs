using Rx.Ssh.Fuzz.Engine;
using Rx.Ssh.Keys;
using Rx.Ssh.Testing;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>
/// Messages after key exchange, in every state a session passes through: our client and our
/// server talk in memory (password login, a process with environment, pty, stdin, signal and
/// window change, a global request, a refused direct-tcpip open), and one side replaces its K-th
/// outgoing payload with the input's before encrypting it (the transport's fuzzing hook). The
/// input is K (its first byte) and the payload; the seeds are the payloads of a clean run. The
/// side under test must end cleanly: typed errors only, whatever state the message arrives in.
/// </summary>
internal sealed class MessageTargets : FuzzTarget
{
    private static readonly TimeSpan Script = TimeSpan.FromMilliseconds(500);

    // A peer that swallowed its CLOSE must not hold a disposal past the hang limit.
    private static readonly SshChannelSettings Channels = new() { CloseTimeout = TimeSpan.FromMilliseconds(200) };
    private static readonly Lazy<SshPrivateKey> HostKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private readonly bool _serverUnderTest;
    private byte[][]? _seeds;

    private MessageTargets(bool serverUnderTest) => _serverUnderTest = serverUnderTest;

    public override string Name => _serverUnderTest ? "messages-to-server" : "messages-to-client";

    /// <summary>Hostile messages from a client, into our server.</summary>
    public static FuzzTarget ToServer() => new MessageTargets(serverUnderTest: true);

    /// <summary>Hostile messages from a server, into our client.</summary>
    public static FuzzTarget ToClient() => new MessageTargets(serverUnderTest: false);

    public override IEnumerable<byte[]> Seeds()
    {
        if (_seeds is null)
        {
            var recorded = new List<byte[]>();
            RunScriptAsync(payload =>
            {
                lock (recorded)
                {
                    recorded.Add(payload.ToArray());
                }

                return default;
            }).GetAwaiter().GetResult();
            _seeds = [.. recorded.Take(255).Select((payload, k) => (byte[])[(byte)k, .. payload])];
        }

        return _seeds;
    }

    public override void Run(byte[] input)
    {
        if (input.Length < 2)
        {
            return;
        }

        int target = input[0];
        byte[] replacement = input[1..];
        int sent = 0;
        RunScriptAsync(payload => Interlocked.Increment(ref sent) - 1 == target ? replacement : default).GetAwaiter().GetResult();
    }

    public override bool IsExpected(Exception error) => TransportTargets.CleanEnd(error);

    private async Task RunScriptAsync(Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> filter)
    {
        (Stream clientSide, Stream serverSide) = InMemoryStream.CreatePair();
        using var deadline = new CancellationTokenSource(Script);
        var serverOptions = new SshServerOptions
        {
            HostKeys = [HostKey.Value],
            PasswordValidator = (_, password) => ValueTask.FromResult(password == "pw"),
            AuthFailureDelay = TimeSpan.Zero,
            ProcessHandler = async process =>
            {
                string input = await process.Stdin.ReadToEndAsync(deadline.Token);
                await process.Stdout.WriteAsync(input, deadline.Token);
            },
            OutgoingPayloadFilter = _serverUnderTest ? null : filter,
            ChannelSettings = Channels,
        };
        var clientOptions = new SshClientOptions
        {
            UserName = "fuzz",
            Password = "pw",
            UseDefaultKeys = false,
            HostKeyVerifier = InsecureAcceptAnyHostKey.Instance,
            OutgoingPayloadFilter = _serverUnderTest ? filter : null,
            ChannelSettings = Channels,
        };

        Task<SshServerConnection> accepting = SshServer.AcceptAsync(serverSide, serverOptions, null, deadline.Token);
        SshClientConnection? client = null;
        try
        {
            client = await SshClient.ConnectAsync(clientSide, "fuzz.invalid", 22, clientOptions, deadline.Token);
            await using (SshClientProcess process = await client.CreateProcessAsync("cat", new SshProcessOptions
            {
                Environment = new Dictionary<string, string> { ["LANG"] = "C" },
                Terminal = new SshTerminal("xterm", 80, 24),
            }, deadline.Token))
            {
                await process.Stdin.WriteAsync("hello\n", deadline.Token);
                await process.SendSignalAsync("INT", deadline.Token);
                await process.Stdin.CloseAsync(deadline.Token);
                await process.Stdout.ReadToEndAsync(deadline.Token);
            }

            await client.SendGlobalRequestAsync("keepalive@openssh.com", default, wantReply: true, deadline.Token);
            await using SshChannelStream refused = await client.OpenDirectTcpAsync("127.0.0.1", 1, cancellationToken: deadline.Token);
        }
        catch (Exception e) when (IsExpected(e))
        {
            // The side under test refused the message, or the script could not go on: both fine.
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            await clientSide.DisposeAsync();
            await serverSide.DisposeAsync();
        }

        if (client is not null && await client.Completion is { } clientEnded && !IsExpected(clientEnded))
        {
            throw clientEnded;
        }

        // The server's own account of how it ended: its accept, then its connection's completion.
        SshServerConnection? server = null;
        try
        {
            server = await accepting;
        }
        catch (Exception e) when (IsExpected(e))
        {
        }

        if (server is not null)
        {
            await server.DisposeAsync();
            if (await server.Completion is { } ended && !IsExpected(ended))
            {
                throw ended;
            }
        }
    }
}
