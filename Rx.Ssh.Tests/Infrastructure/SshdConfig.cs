using System.Globalization;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>Writes the <c>sshd_config</c> text for an <see cref="SshdOptions"/>.</summary>
public static class SshdConfig
{
    /// <summary>The config text for a server on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="options">What the test varies.</param>
    /// <param name="port">The port to listen on.</param>
    /// <param name="hostKeyPaths">Private host key files, one <c>HostKey</c> line each.</param>
    /// <param name="authorizedKeysPath">The authorized_keys file.</param>
    /// <param name="pidFilePath">Where sshd writes its PID.</param>
    public static string Render(
        SshdOptions options,
        int port,
        IEnumerable<string> hostKeyPaths,
        string authorizedKeysPath,
        string pidFilePath)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hostKeyPaths);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        void Setting(string keyword, string? value)
        {
            if (value is not null)
            {
                Line(keyword + " " + value);
            }
        }

        void List(string keyword, IReadOnlyList<string>? values) =>
            Setting(keyword, values is null ? null : string.Join(',', values));

        string YesNo(bool value) => value ? "yes" : "no";

        Line("# Written by Rx.Ssh.Tests SshdServer.");
        foreach (string extra in options.ExtraLines)
        {
            Line(extra);
        }

        Line("ListenAddress 127.0.0.1");
        Line("Port " + port.ToString(CultureInfo.InvariantCulture));
        foreach (string hostKey in hostKeyPaths)
        {
            Setting("HostKey", hostKey);
        }

        Setting("PidFile", pidFilePath);
        Setting("AuthorizedKeysFile", authorizedKeysPath);
        Line("StrictModes no");
        Line("UsePAM no");
        Line("PermitRootLogin yes");
        Line("PubkeyAuthentication yes");
        Setting("PasswordAuthentication", YesNo(options.PasswordAuthentication));
        Setting("KbdInteractiveAuthentication", YesNo(options.KbdInteractiveAuthentication));
        Setting("AuthenticationMethods", options.AuthenticationMethods);
        Setting("MaxStartups", options.MaxStartups);
        Setting("LogLevel", options.LogLevel);
        List("KexAlgorithms", options.KexAlgorithms);
        List("Ciphers", options.Ciphers);
        List("MACs", options.Macs);
        List("HostKeyAlgorithms", options.HostKeyAlgorithms);
        List("PubkeyAcceptedAlgorithms", options.PubkeyAcceptedAlgorithms);
        Setting("AcceptEnv", options.AcceptEnv.Count == 0 ? null : string.Join(' ', options.AcceptEnv));
        Line("Subsystem sftp " + options.SftpSubsystem);
        Line("PrintMotd no");
        Line("PrintLastLog no");
        Line("UseDNS no");
        foreach (string trailing in options.TrailingLines)
        {
            Line(trailing);
        }

        return text.ToString();
    }
}
