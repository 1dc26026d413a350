using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>What a client sample did: its exit code and what it wrote on stdout and on stderr, kept apart.</summary>
internal sealed record ClientSampleRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs client sample <paramref name="name"/> in-process with <paramref name="context"/> (its Out and Error replaced) until it exits.</summary>
    public static async Task<ClientSampleRun> RunAsync(string name, SampleContext context, TimeSpan? timeout = null)
    {
        var output = new LineWriter();
        var error = new LineWriter();
        ISample sample = SampleCatalog.Find(name) ?? throw new ArgumentException($"No sample '{name}'.", nameof(name));
        int code = await sample.RunAsync(context with { Out = output, Error = error }).WithTimeout(timeout ?? TestTimeout.Long);
        return new ClientSampleRun(code, output.Text, error.Text);
    }

    /// <summary>A context for a server on 127.0.0.1:<paramref name="port"/> trusted through <paramref name="knownHosts"/>, logging in with <paramref name="keyFile"/>.</summary>
    public static SampleContext Context(int port, string knownHosts, string keyFile, string? user = null) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        UserName = user ?? Environment.UserName,
        Keys = [keyFile],
        KnownHosts = knownHosts,
    };
}
