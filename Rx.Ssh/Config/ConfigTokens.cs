using System.Security.Cryptography;
using System.Text;

namespace Rx.Ssh.Config;

/// <summary>
/// The values the <c>%</c> tokens of ssh_config(5) stand for, and their expansion together with
/// <c>~</c> and <c>${NAME}</c> (environment variables) where ssh applies them.
/// </summary>
internal sealed class ConfigTokens
{
    /// <summary>The host name as given (<c>%n</c>).</summary>
    public required string OriginalHost { get; init; }

    /// <summary>The host connected to, after HostName (<c>%h</c>).</summary>
    public required string HostName { get; init; }

    /// <summary>The port (<c>%p</c>).</summary>
    public required int Port { get; init; }

    /// <summary>The remote user (<c>%r</c>).</summary>
    public required string RemoteUser { get; init; }

    /// <summary>The local user (<c>%u</c>).</summary>
    public required string LocalUser { get; init; }

    /// <summary>The local home directory (<c>%d</c>, and <c>~</c>).</summary>
    public required string HomeDirectory { get; init; }

    /// <summary>The host key alias, else the original host (<c>%k</c>).</summary>
    public string? HostKeyAlias { get; init; }

    /// <summary>The ProxyJump value (<c>%j</c>), empty when none.</summary>
    public string? ProxyJump { get; init; }

    /// <summary>Looks up environment variables for <c>${NAME}</c>; the process environment when null.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Replaces <c>%</c> tokens (and, when asked, a leading <c>~</c> and <c>${NAME}</c>) in <paramref name="value"/>.</summary>
    /// <exception cref="SshConfigException">An unknown token or an unset variable (through <paramref name="line"/>).</exception>
    public string Expand(string value, ConfigLine line, bool tilde, bool environment)
    {
        if (tilde)
        {
            value = ExpandTilde(value);
        }

        if (environment)
        {
            value = ExpandEnvironment(value, line);
        }

        var result = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '%')
            {
                result.Append(c);
                continue;
            }

            if (++i == value.Length)
            {
                throw line.Error("'%' at the end of a value");
            }

            result.Append(value[i] switch
            {
                '%' => "%",
                'h' => HostName,
                'n' => OriginalHost,
                'p' => Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                'r' => RemoteUser,
                'u' => LocalUser,
                'd' => HomeDirectory,
                'k' => HostKeyAlias ?? OriginalHost,
                'j' => ProxyJump ?? "",
                'i' => ConfigNative.UserId().ToString(System.Globalization.CultureInfo.InvariantCulture),
                'L' => ShortHostName(),
                'l' => System.Net.Dns.GetHostName(),
                'C' => ConnectionHash(),
                _ => throw line.Error($"unknown token %{value[i]}"),
            });
        }

        return result.ToString();
    }

    /// <summary><c>~</c> or <c>~/...</c> at the start of a path, replaced with the home directory.</summary>
    public string ExpandTilde(string value) =>
        value == "~" ? HomeDirectory
        : value.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(HomeDirectory, value[2..])
        : value;

    private string ExpandEnvironment(string value, ConfigLine line)
    {
        int start = value.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return value;
        }

        var result = new StringBuilder();
        int at = 0;
        while (start >= 0)
        {
            int end = value.IndexOf('}', start + 2);
            if (end < 0)
            {
                throw line.Error("unterminated ${ in a value");
            }

            string name = value[(start + 2)..end];
            string? variable = (Environment ?? System.Environment.GetEnvironmentVariable)(name)
                ?? throw line.Error($"environment variable {name} is not set");
            result.Append(value, at, start - at).Append(variable);
            at = end + 1;
            start = value.IndexOf("${", at, StringComparison.Ordinal);
        }

        return result.Append(value, at, value.Length - at).ToString();
    }

    private static string ShortHostName()
    {
        string name = System.Net.Dns.GetHostName();
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }

    // %C: SHA-1 of %l%h%p%r%j in hex, as ssh computes it (a stable name for control sockets).
    private string ConnectionHash()
    {
        string text = System.Net.Dns.GetHostName() + HostName + Port.ToString(System.Globalization.CultureInfo.InvariantCulture) + RemoteUser + (ProxyJump ?? "");
#pragma warning disable CA5350 // Not a security use: the name OpenSSH gives, for compatibility.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
    }
}
