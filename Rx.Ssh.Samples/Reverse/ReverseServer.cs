using System.Reactive.Linq;
using Rx.Ssh.Samples.Servers;

namespace Rx.Ssh.Samples.Reverse;

/// <summary>
/// reverse_server: listens on 8022 for SSH servers that call home (RFC 8071) and acts as the SSH
/// <em>client</em> on each: logs in with <c>server_key</c>, trusts the caller's host key only from
/// <c>trusted_client_host_keys</c> (known_hosts format, looked up by the caller's address), runs the
/// commands at once and prints each result as it completes; then closes that connection.
/// </summary>
internal sealed class ReverseServer : ISample
{
    /// <summary>The original's commands.</summary>
    public static readonly IReadOnlyList<string> DefaultCommands = ["ls", "sleep 30 && date", "sleep 5 && cat /proc/cpuinfo"];

    private static readonly string Separator = new('-', 75);

    public string Name => "reverse_server";

    public string Description => "Accept SSH servers calling home on 8022 and run commands on each as the SSH client.";

    public async Task<int> RunAsync(SampleContext context)
    {
        if (!ServerSample.TryParseAddress(context, out System.Net.IPAddress? address)
            || ServerSample.Read(context, "trusted_client_host_keys", "known hosts", path => KnownHostsFile.Parse(File.ReadAllText(path), path)) is null
            || ServerSample.ReadOptionalCertificate(context, "server_key-cert.pub", out SshCertificate? certificate)
            || ServerSample.Read(context, "server_key", "client key", path => SshPrivateKey.Load(path)) is not { } key)
        {
            return 1;
        }

        using (key)
        {
            var options = new SshClientOptions
            {
                UserName = context.UserName,
                Keys = [key],
                Certificates = certificate is null ? [] : [certificate],
                UseDefaultKeys = false,
                HostKeyVerifier = new KnownHostsVerifier(Path.Combine(context.WorkingDirectory, "trusted_client_host_keys")),
            };
            IReadOnlyList<string> commands = context.Commands ?? DefaultCommands;
            SshReverseListener listener;
            try
            {
                listener = await SshClient.ListenReverseAsync(options, new SshReverseListenOptions
                {
                    Address = address,
                    Port = context.ServerPort,
                    PeerFailed = failure => context.Error.WriteLine($"Connection from {ServerSample.Describe(failure.RemoteEndPoint)} failed: {failure.Error.Message}"),
                });
            }
            catch (SshException ex)
            {
                await context.Error.WriteLineAsync(ex.Message);
                return 1;
            }

            await using (listener)
            {
                // Per caller (the original's acceptor): every command at once, each result printed as it completes
                // (asyncio.as_completed), then the connection closed (async with conn). SelectMany keeps the prints apart.
                using IDisposable printing = listener.Connections
                    .SelectMany(conn => Observable.Using(
                        () => conn,
                        c => commands.ToObservable().SelectMany(command => c.Run(command)))
                        .Catch((SshException ex) =>
                        {
                            context.Error.WriteLine($"Connection from {ServerSample.Describe(conn.RemoteEndPoint)} failed: {ex.Message}");
                            return Observable.Empty<SshCompletedProcess>();
                        }))
                    .Subscribe(result => Print(context.Out, result));
                await ServerSample.AnnounceAsync(context, listener.LocalEndPoint.Address, listener.Port);
                await ServerSample.WaitForStopAsync(context);
            }

            return 0;
        }
    }

    private static void Print(TextWriter output, SshCompletedProcess result)
    {
        output.Write(
            $"Command: {result.Command}\n" +
            $"Return code: {result.ExitCode}\n" +
            $"Stdout:\n{result.Stdout}" +
            $"Stderr:\n{result.Stderr}" +
            $"{Separator}\n");
    }
}
