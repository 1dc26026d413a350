using Rx.Ssh.Samples.Clients;
using Rx.Ssh.Samples.Servers;

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

        // Composition and interaction (issue 5).
        new MathClient(),
        new GatherResults(),
        new SetEnvironment(),
        new SetTerminal(),

        // Redirection (issue 5).
        new RedirectInput(),
        new RedirectLocalPipe(),
        new RedirectRemotePipe(),

        // Forwarding clients (issue 12).
        new LocalForwardingClient(),
        new LocalForwardingClient2(),
        new RemoteForwardingClient(),
        new RemoteForwardingClient2(),
        new DirectClient(),
        new StreamDirectClient(),
        new ListeningClient(),
        new StreamListeningClient(),

        // SFTP client (issue 13).
        new SftpClientSample(),
        new ScpClientSample(),

        new SimpleServer(),
        new SimpleKeyedServer(),
        new SimpleCertServer(),
        new MathServer(),
        new CallbackMathServer(),
        new RedirectServer(),
        new ChatServer(),
        new Editor(),
        new ShowEnvironment(),
        new ShowTerminal(),

        // Forwarding servers (issue 12).
        new LocalForwardingServer(),
        new RemoteForwardingServer(),
        new DirectServer(),
        new StreamDirectServer(),
        new SimpleSftpServer(),
        new ChrootSftpServer(),
        new SimpleScpServer(),

        // Reverse direction, RFC 8071 call home (issue 14).
        new Reverse.ReverseClient(),
        new Reverse.ReverseServer(),

        // serve: a general-purpose server built from the library (Serve/).
        new Serve.ServeCommand(),
    ];

    public static ISample? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
