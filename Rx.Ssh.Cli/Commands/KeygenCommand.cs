using System.CommandLine;

namespace Rx.Ssh.Cli.Commands;

/// <summary>
/// <c>rxssh keygen [-t ed25519|ecdsa|rsa] [-b bits] -f file [-N passphrase] [-C comment]</c>: a new
/// key in OpenSSH's format (<c>file</c>, mode 0600) and its public line (<c>file.pub</c>), as ssh-keygen writes them.
/// </summary>
internal static class KeygenCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(RxConsole console)
    {
        var type = new Option<string>("--type", "-t") { Description = "ed25519, ecdsa or rsa", DefaultValueFactory = _ => "ed25519" };
        type.AcceptOnlyFromAmong("ed25519", "ecdsa", "rsa");
        var bits = new Option<int>("--bits", "-b") { Description = "key size: ecdsa 256/384/521 (default 256), rsa 2048+ (default 3072)" };
        var file = new Option<string>("--file", "-f") { Description = "private key file to write (the public key goes to FILE.pub)", Required = true };
        var passphrase = new Option<string?>("--passphrase", "-N") { Description = "passphrase encrypting the private key (default none)" };
        var comment = new Option<string?>("--comment", "-C") { Description = "comment (default user@host)" };
        var force = new Option<bool>("--force") { Description = "replace existing files" };
        var command = new Command("keygen", "Generate a key pair in OpenSSH format.") { type, bits, file, passphrase, comment, force };
        command.SetAction(async parse =>
        {
            string path = parse.GetValue(file)!;
            string publicPath = path + ".pub";
            if (!parse.GetValue(force) && (File.Exists(path) || File.Exists(publicPath)))
            {
                await console.Error.WriteLineAsync($"rxssh keygen: {path} exists (--force replaces it).");
                return 1;
            }

            string keyType = parse.GetValue(type) switch
            {
                "ecdsa" => (parse.GetValue(bits) is 0 or 256) ? "ecdsa-sha2-nistp256" : $"ecdsa-sha2-nistp{parse.GetValue(bits)}",
                "rsa" => "ssh-rsa",
                _ => "ssh-ed25519",
            };
            try
            {
                using SshPrivateKey key = SshPrivateKey.Generate(keyType, keyType == "ssh-rsa" ? parse.GetValue(bits) : 0);
                key.Comment = parse.GetValue(comment) ?? $"{Environment.UserName}@{Environment.MachineName}";
                key.Save(path, parse.GetValue(passphrase));
                await File.WriteAllTextAsync(publicPath, key.PublicKey.ToOpenSshString(key.Comment) + "\n");
                await console.Out.WriteLineAsync($"Your identification has been saved in {path}");
                await console.Out.WriteLineAsync($"Your public key has been saved in {publicPath}");
                await console.Out.WriteLineAsync($"The key fingerprint is: {key.PublicKey.GetFingerprint()} {key.Comment}");
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"rxssh keygen: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
