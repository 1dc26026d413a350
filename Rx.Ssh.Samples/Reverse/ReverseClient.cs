using System.Diagnostics;
using Rx.Ssh.Samples.Servers;

namespace Rx.Ssh.Samples.Reverse;

/// <summary>
/// reverse_client: calls HOST:8022 (RFC 8071 call home) and acts as the SSH <em>server</em> on that
/// connection: host key <c>client_host_key</c>, only the client keys in <c>trusted_server_keys</c>
/// (authorized_keys format), and each command it is asked for run through the local shell with its
/// stdin, stdout and stderr redirected over SSH and its exit status returned. Exits when the
/// connection closes.
/// </summary>
internal sealed class ReverseClient : ISample
{
    public string Name => "reverse_client";

    public string Description => "Call HOST:8022 and, as the SSH server there, run the commands it asks for through the local shell.";

    public async Task<int> RunAsync(SampleContext context)
    {
        if (ServerSample.LoadAuthorizedKeys(context, "trusted_server_keys") is not { } trusted
            || ServerSample.ReadOptionalCertificate(context, "client_host_key-cert.pub", out SshCertificate? certificate)
            || ServerSample.Read(context, "client_host_key", "host key", path => SshPrivateKey.Load(path)) is not { } hostKey)
        {
            return 1;
        }

        using (hostKey)
        {
            var options = new SshServerOptions
            {
                HostKeys = [hostKey],
                HostCertificates = certificate is null ? [] : [certificate],
                AuthorizedKeys = _ => trusted,
                ProcessHandler = HandleRequestAsync,
            };
            try
            {
                await using SshServerConnection conn = await SshServer.ConnectReverse(context.Host, context.ServerPort, options);
                await conn.Completion.WaitAsync(context.Stopping);
                return 0;
            }
            catch (SshException ex)
            {
                await context.Error.WriteLineAsync("SSH connection failed: " + ex.Message);
                return 1;
            }
            catch (OperationCanceledException) when (context.Stopping.IsCancellationRequested)
            {
                return 0;
            }
        }
    }

    /// <summary>Runs the requested command through the local shell, its standard streams redirected over the session.</summary>
    private static async Task HandleRequestAsync(SshServerProcess process)
    {
        if (process.Command is not { } command)
        {
            await process.Stderr.WriteAsync("Only commands are run here.\n");
            await process.ExitAsync(1);
            return;
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", command },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process local = Process.Start(start) ?? throw new InvalidOperationException("Cannot start /bin/sh.");
        process.ExitStatus = await process.RedirectAsync(local);
    }
}
