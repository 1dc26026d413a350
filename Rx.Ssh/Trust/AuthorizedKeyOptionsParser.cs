using System.Globalization;
using System.Text;

namespace Rx.Ssh.Trust;

/// <summary>Parses the comma-separated option field of an authorized_keys line.</summary>
internal static class AuthorizedKeyOptionsParser
{
    private static readonly string[] Negatable =
        ["agent-forwarding", "port-forwarding", "pty", "user-rc", "x11-forwarding", "touch-required"];

    /// <summary>The length of the option field at the start of <paramref name="line"/>: up to the first unquoted blank.</summary>
    public static int FieldLength(ReadOnlySpan<char> line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '\\' && i + 1 < line.Length && line[i + 1] == '"')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (c == ' ' || c == '\t'))
            {
                return i;
            }
        }

        if (quoted)
        {
            throw new FormatException("unterminated quoted option value");
        }

        return line.Length;
    }

    /// <summary>Parses the option field; throws <see cref="FormatException"/> describing the first problem.</summary>
    public static AuthorizedKeyOptions Parse(ReadOnlySpan<char> field)
    {
        var options = new AuthorizedKeyOptions();
        var environment = new List<KeyValuePair<string, string>>();
        var permitOpen = new List<ForwardPermission>();
        var permitListen = new List<ForwardPermission>();
        int i = 0;
        while (i < field.Length)
        {
            int nameEnd = i;
            while (nameEnd < field.Length && field[nameEnd] != ',' && field[nameEnd] != '=')
            {
                nameEnd++;
            }

            string name = field[i..nameEnd].ToString().ToLowerInvariant();
            if (name.Length == 0)
            {
                throw new FormatException("empty option");
            }

            i = nameEnd;
            string? value = null;
            if (i < field.Length && field[i] == '=')
            {
                value = ReadQuoted(field, ref i);
            }

            if (i < field.Length)
            {
                if (field[i] != ',')
                {
                    throw new FormatException($"unexpected '{field[i]}' after option '{name}'");
                }

                i++;
                if (i == field.Length)
                {
                    throw new FormatException("trailing comma in options");
                }
            }

            if (value is null)
            {
                ApplyFlag(options, name);
            }
            else
            {
                ApplyValue(options, name, value, environment, permitOpen, permitListen);
            }
        }

        options.Environment = environment;
        options.PermitOpen = permitOpen;
        options.PermitListen = permitListen;
        return options;
    }

    private static string ReadQuoted(ReadOnlySpan<char> field, ref int i)
    {
        i++; // '='
        if (i >= field.Length || field[i] != '"')
        {
            throw new FormatException("option value must be in double quotes");
        }

        i++;
        var value = new StringBuilder();
        while (true)
        {
            if (i >= field.Length)
            {
                throw new FormatException("unterminated quoted option value");
            }

            char c = field[i++];
            if (c == '"')
            {
                return value.ToString();
            }

            // Only \" is an escape (as in OpenSSH); any other backslash stays as written.
            if (c == '\\' && i < field.Length && field[i] == '"')
            {
                c = '"';
                i++;
            }

            value.Append(c);
        }
    }

    private static void ApplyFlag(AuthorizedKeyOptions options, string name)
    {
        switch (name)
        {
            case "restrict":
                options.Restrict = true;
                options.PermitPty = options.PermitPortForwarding = options.PermitAgentForwarding = false;
                options.PermitX11Forwarding = options.PermitUserRc = false;
                return;
            case "cert-authority":
                options.CertificateAuthority = true;
                return;
            case "verify-required":
                options.VerifyRequired = true;
                return;
        }

        bool negated = name.StartsWith("no-", StringComparison.Ordinal);
        string flag = negated ? name[3..] : name;
        if (Array.IndexOf(Negatable, flag) < 0)
        {
            throw new FormatException($"unknown option '{name}'");
        }

        bool permit = !negated;
        switch (flag)
        {
            case "agent-forwarding":
                options.PermitAgentForwarding = permit;
                break;
            case "port-forwarding":
                options.PermitPortForwarding = permit;
                break;
            case "pty":
                options.PermitPty = permit;
                break;
            case "user-rc":
                options.PermitUserRc = permit;
                break;
            case "x11-forwarding":
                options.PermitX11Forwarding = permit;
                break;
            default: // touch-required
                options.NoTouchRequired = negated;
                break;
        }
    }

    private static void ApplyValue(
        AuthorizedKeyOptions options,
        string name,
        string value,
        List<KeyValuePair<string, string>> environment,
        List<ForwardPermission> permitOpen,
        List<ForwardPermission> permitListen)
    {
        switch (name)
        {
            case "command":
                options.Command = options.Command is null ? value : throw new FormatException("more than one command option");
                break;
            case "from":
                options.From = options.From is null ? value : throw new FormatException("more than one from option");
                break;
            case "principals":
                options.Principals = options.Principals is null
                    ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    : throw new FormatException("more than one principals option");
                break;
            case "environment":
                AddEnvironment(environment, value);
                break;
            case "permitopen":
                permitOpen.Add(ForwardPermission.Parse(value, hostOptional: false));
                break;
            case "permitlisten":
                permitListen.Add(ForwardPermission.Parse(value, hostOptional: true));
                break;
            case "expiry-time":
                DateTimeOffset expiry = ParseExpiry(value);
                options.ExpiryTime = options.ExpiryTime is { } earlier && earlier < expiry ? earlier : expiry;
                break;
            case "tunnel":
                options.Tunnel = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int tunnel)
                    ? tunnel
                    : throw new FormatException($"invalid tunnel number '{value}'");
                break;
            default:
                throw new FormatException($"unknown option '{name}'");
        }
    }

    private static void AddEnvironment(List<KeyValuePair<string, string>> environment, string value)
    {
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"environment value '{value}' is not NAME=value");
        }

        string name = value[..equals];
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                throw new FormatException($"invalid environment variable name '{name}'");
            }
        }

        if (!environment.Exists(e => e.Key == name))
        {
            environment.Add(new KeyValuePair<string, string>(name, value[(equals + 1)..]));
        }
    }

    /// <summary>Parses <c>YYYYMMDD[HHMM[SS]]</c> with an optional <c>Z</c> for UTC; otherwise local time, as sshd does.</summary>
    internal static DateTimeOffset ParseExpiry(string value)
    {
        bool utc = value.EndsWith('Z') || value.EndsWith('z');
        string digits = utc ? value[..^1] : value;
        string format = digits.Length switch
        {
            8 => "yyyyMMdd",
            12 => "yyyyMMddHHmm",
            14 => "yyyyMMddHHmmss",
            _ => throw new FormatException($"invalid expiry-time '{value}'"),
        };
        if (!digits.All(char.IsAsciiDigit)
            || !DateTime.TryParseExact(digits, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime time))
        {
            throw new FormatException($"invalid expiry-time '{value}'");
        }

        return utc
            ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
            : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Local));
    }
}
