
namespace Rx.Ssh.Samples.Servers;

/// <summary>simple_keyed_server: public key authentication with each user's keys in <c>authorized_keys/USER</c>.</summary>
internal sealed class SimpleKeyedServer : ISample
{
    public string Name => "simple_keyed_server";

    public string Description => "Greet users who log in with a key listed in authorized_keys/USER.";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenAsync(context, new SshServerOptions
    {
        HandlerFactory = () => new Handler(Path.Combine(context.WorkingDirectory, "authorized_keys")),
        ProcessHandler = process =>
        {
            process.Stdout.Write($"Welcome to my SSH server, {process.UserName}!\n");
            return process.ExitAsync(0);
        },
    });

    /// <summary>Picks the user's authorized_keys file when the user name is first seen (AsyncSSH's set_authorized_keys).</summary>
    private sealed class Handler(string directory) : SshServerHandler
    {
        public override ValueTask<bool> BeginAuthAsync(string userName, CancellationToken cancellationToken)
        {
            // The user name becomes a file name: refuse anything that could leave the directory.
            bool plainName = userName.Length > 0 && userName is not ("." or "..") && userName.IndexOfAny(['/', '\\', '\0']) < 0;
            try
            {
                AuthorizedKeys = plainName ? AuthorizedKeysFile.Load(Path.Combine(directory, userName)) : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                AuthorizedKeys = null; // an unreadable file admits no key
            }

            return ValueTask.FromResult(true);
        }
    }
}
