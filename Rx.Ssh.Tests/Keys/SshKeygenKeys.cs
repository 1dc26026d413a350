using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>
/// One key of each type made by ssh-keygen (OpenSSH format, no passphrase) in a temp directory, shared by a
/// test class; <see cref="Variant"/> derives other formats and passphrases from it with <c>ssh-keygen -p</c>.
/// </summary>
public sealed class SshKeygenKeys : IDisposable
{
    public const string Passphrase = "correct horse";

    /// <summary>(name, ssh-keygen -t, -b).</summary>
    public static readonly (string Name, string Type, int Bits)[] Types =
    [
        ("ed25519", "ed25519", 0),
        ("ecdsa256", "ecdsa", 256),
        ("ecdsa384", "ecdsa", 384),
        ("ecdsa521", "ecdsa", 521),
        ("rsa2048", "rsa", 2048),
    ];

    private readonly TempDirectory _directory = new();
    private readonly Lock _lock = new();
    private readonly HashSet<string> _made = [];
    private int _counter;

    public string Directory => _directory.Path;

    /// <summary>Path of the plain OpenSSH-format key named <paramref name="name"/>, generating it on first use.</summary>
    public string Base(string name)
    {
        string path = _directory.File(name);
        lock (_lock)
        {
            if (_made.Add(name))
            {
                (string _, string type, int bits) = Array.Find(Types, t => t.Name == name);
                var arguments = new List<string> { "-q", "-t", type, "-N", string.Empty, "-C", "test-" + name, "-f", path };
                if (bits != 0)
                {
                    arguments.AddRange(["-b", bits.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                }

                OpenSshTool.SshKeygen([.. arguments]);
            }
        }

        return path;
    }

    /// <summary>
    /// A copy of the base key rewritten by <c>ssh-keygen -p</c> with the given format (<c>OPENSSH</c>,
    /// <c>PEM</c>, <c>PKCS8</c>), passphrase and optional OpenSSH cipher (<c>-Z</c>).
    /// </summary>
    public string Variant(string name, string format, string? passphrase, string? cipher = null)
    {
        string source = Base(name);
        string path = _directory.File($"{name}-{Interlocked.Increment(ref _counter)}");
        File.Copy(source, path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var arguments = new List<string> { "-q", "-p", "-f", path, "-P", string.Empty, "-N", passphrase ?? string.Empty };
        if (format != "OPENSSH")
        {
            arguments.AddRange(["-m", format]);
        }

        if (cipher is not null)
        {
            arguments.AddRange(["-Z", cipher]);
        }

        OpenSshTool.SshKeygen([.. arguments]);
        return path;
    }

    public void Dispose() => _directory.Dispose();
}
