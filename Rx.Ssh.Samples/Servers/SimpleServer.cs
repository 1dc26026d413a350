using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Rx.Ssh.Samples.Servers;

/// <summary>simple_server: password authentication (a guest account needs none) and a greeting.</summary>
internal sealed class SimpleServer : ISample
{
    public string Name => "simple_server";

    public string Description => "Greet users who log in by password ('guest' needs none, 'user123' / 'secretpw').";

    public Task<int> RunAsync(SampleContext context)
    {
        // guest needs no password at all; user123's password is stored only as a salted hash.
        var passwords = new Dictionary<string, PasswordHash?>
        {
            ["guest"] = null,
            ["user123"] = PasswordHash.Create("secretpw"),
        };
        return ServerSample.ListenAsync(context, new SshServerOptions
        {
            HandlerFactory = () => new Handler(context, passwords),
            ProcessHandler = process =>
            {
                process.Stdout.Write($"Welcome to my SSH server, {process.UserName}!\n");
                return process.ExitAsync(0);
            },
        });
    }

    /// <summary>The per-connection callbacks: log connects and closes, decide who must authenticate, check passwords.</summary>
    private sealed class Handler(SampleContext context, Dictionary<string, PasswordHash?> passwords) : SshServerHandler
    {
        private static readonly PasswordHash Unknown = PasswordHash.Create(string.Empty);

        public override void ConnectionMade(EndPoint? remoteEndPoint) =>
            context.Out.WriteLine($"SSH connection received from {ServerSample.Describe(remoteEndPoint)}.");

        public override void ConnectionLost(Exception? error)
        {
            if (error is null)
            {
                context.Out.WriteLine("SSH connection closed.");
            }
            else
            {
                context.Error.WriteLine("SSH connection error: " + error.Message);
            }
        }

        public override ValueTask<bool> BeginAuthAsync(string userName, CancellationToken cancellationToken) =>
            ValueTask.FromResult(!(passwords.TryGetValue(userName, out PasswordHash? hash) && hash is null));

        public override bool PasswordAuthSupported => true;

        public override ValueTask<bool> ValidatePasswordAsync(SshAuthContext context, string password, CancellationToken cancellationToken)
        {
            // Unknown users are checked against a dummy hash, so the time taken tells nothing.
            bool known = passwords.TryGetValue(context.UserName, out PasswordHash? hash);
            bool matches = (hash ?? Unknown).Matches(password);
            return ValueTask.FromResult(known && hash is not null && matches);
        }
    }

    /// <summary>A password stored as PBKDF2-SHA256 of a random salt, as a real server would keep it.</summary>
    private sealed record PasswordHash(byte[] Salt, byte[] Hash)
    {
        private const int Iterations = 100_000;

        public static PasswordHash Create(string password)
        {
            byte[] salt = RandomNumberGenerator.GetBytes(16);
            return new PasswordHash(salt, Derive(password, salt));
        }

        public bool Matches(string password) => CryptographicOperations.FixedTimeEquals(Derive(password, Salt), Hash);

        private static byte[] Derive(string password, byte[] salt) =>
            Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
    }
}
