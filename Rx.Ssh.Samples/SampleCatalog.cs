using Rx.Ssh.Samples.Clients;

namespace Rx.Ssh.Samples;

/// <summary>Every sample, by name.</summary>
internal static class SampleCatalog
{
    public static IReadOnlyList<ISample> All { get; } =
    [
        new SimpleClient(),
        new CheckExitStatus(),
        new CallbackClient(),
        new CallbackClient2(),
        new CallbackClient3(),

        // serve: a general-purpose server built from the library (Serve/).
        new Serve.ServeCommand(),
    ];

    public static ISample? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
