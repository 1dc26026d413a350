using System.Diagnostics;

namespace Rx.Ssh.Samples.Servers;

/// <summary>redirect_server: run <c>bc</c> on this machine with the session's stdin, stdout and stderr redirected to it.</summary>
internal sealed class RedirectServer : ISample
{
    public string Name => "redirect_server";

    public string Description => "Run the calculator 'bc' locally for each client, its I/O redirected over SSH.";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, HandleClientAsync);

    private static async Task HandleClientAsync(SshServerProcess process)
    {
        var start = new ProcessStartInfo("bc", "-q")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process bc = Process.Start(start) ?? throw new InvalidOperationException("Cannot start bc.");
        process.ExitStatus = await process.RedirectAsync(bc);
    }
}
