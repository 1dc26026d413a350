using System.Globalization;
using System.Text;

namespace Rx.Ssh.Client.Jump;

/// <summary>
/// Expands the <c>%</c> tokens of a ProxyCommand as ssh does (<c>%h</c>, <c>%p</c>, <c>%r</c>, <c>%n</c>,
/// <c>%%</c>). The command goes to a shell, so a host or user put into it must not carry shell
/// syntax: like ssh (since 9.6), names with shell metacharacters are refused.
/// </summary>
internal static class ProxyCommandLine
{
    private const string UserForbidden = "'`\";&<>|(){}$\\*?[]!~#";

    /// <summary>The command with its tokens replaced.</summary>
    /// <exception cref="ArgumentException">An unknown token, a trailing <c>%</c>, or a host or user unsafe to hand to a shell.</exception>
    public static string Expand(string command, string host, int port, string user)
    {
        var text = new StringBuilder(command.Length + 32);
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            if (c != '%')
            {
                text.Append(c);
                continue;
            }

            if (++i == command.Length)
            {
                throw new ArgumentException($"ProxyCommand '{command}' ends with a lone '%'.", "options");
            }

            switch (command[i])
            {
                case '%':
                    text.Append('%');
                    break;
                case 'h':
                case 'n':
                    text.Append(SafeHost(host));
                    break;
                case 'p':
                    text.Append(port.ToString(CultureInfo.InvariantCulture));
                    break;
                case 'r':
                    text.Append(SafeUser(user));
                    break;
                default:
                    throw new ArgumentException($"ProxyCommand '{command}' has the unknown token '%{command[i]}' (known: %h %p %r %n %%).", "options");
            }
        }

        return text.ToString();
    }

    private static string SafeHost(string host)
    {
        bool ok = host.Length > 0 && host[0] != '-';
        foreach (char c in host)
        {
            ok &= char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '%';
        }

        return ok ? host : throw new ArgumentException($"The host name '{host}' has characters that are unsafe in a ProxyCommand.", "host");
    }

    private static string SafeUser(string user)
    {
        bool ok = user.Length > 0 && user[0] != '-';
        foreach (char c in user)
        {
            ok &= !char.IsWhiteSpace(c) && !char.IsControl(c) && !UserForbidden.Contains(c, StringComparison.Ordinal);
        }

        return ok ? user : throw new ArgumentException($"The user name '{user}' has characters that are unsafe in a ProxyCommand.", "options");
    }
}
