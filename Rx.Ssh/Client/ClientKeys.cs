using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;

namespace Rx.Ssh;

/// <summary>Collects the keys a client offers: explicit keys, key files, then the default files.</summary>
internal static class ClientKeys
{
    public static readonly string[] DefaultFiles = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static IReadOnlyList<SshPrivateKey> Load(SshClientOptions options, ILogger logger)
    {
        var keys = new List<SshPrivateKey>(options.Keys);
        foreach (string file in options.KeyFiles)
        {
            keys.Add(SshPrivateKey.Load(file, options.Passphrase));
        }

        if (keys.Count == 0 && options.UseDefaultKeys)
        {
            string sshDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
            foreach (string name in DefaultFiles)
            {
                string path = Path.Combine(sshDir, name);
                if (!File.Exists(path))
                {
                    continue;
                }

                try
                {
                    keys.Add(SshPrivateKey.Load(path, options.Passphrase));
                }
                catch (SshKeyFormatException ex)
                {
                    logger.LogWarning("Skipping default key {Path}: {Message}", path, ex.Message);
                }
            }
        }

        return keys;
    }
}
