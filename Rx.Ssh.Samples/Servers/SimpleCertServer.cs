namespace Rx.Ssh.Samples.Servers;

/// <summary>
/// simple_cert_server: users log in with an OpenSSH certificate signed by the CA named on a
/// <c>cert-authority</c> line in <c>ssh_user_ca</c>; the certificate's principals must include the
/// user name (or match a <c>principals=</c> option on that line), and it must be valid now.
/// </summary>
internal sealed class SimpleCertServer : ISample
{
    public string Name => "simple_cert_server";

    public string Description => "Greet users who log in with a certificate from the CA in ssh_user_ca (cert-authority line).";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, process =>
    {
        process.Stdout.Write($"Welcome to my SSH server, {process.UserName}!\n");
        return process.ExitAsync(0);
    });
}
