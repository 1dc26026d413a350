using System.Globalization;
using Rx.Ssh.Config;

namespace Rx.Ssh.Client.Config;

/// <summary>
/// <c>RekeyLimit amount [time]</c>: the amount (bytes, with an optional <c>K</c>, <c>M</c>, <c>G</c> or
/// <c>T</c> suffix, or <c>default</c>) fills <see cref="SshConnectionOptions.RekeyBytes"/>, the time
/// (an sshd time, <c>none</c> or <c>default</c>) <see cref="SshConnectionOptions.RekeyInterval"/>,
/// each only where the code left the default.
/// </summary>
internal static class ConfigRekeyLimit
{
    public static SshClientOptions Apply(SshHostConfig config, SshClientOptions o, SshClientOptions pristine)
    {
        if (config.FirstValue("rekeylimit") is not { } value)
        {
            return o;
        }

        string amount = value.Arguments[0];
        if (o.RekeyBytes == pristine.RekeyBytes && !amount.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            o = o with { RekeyBytes = Bytes(value.Line, amount) };
        }

        if (value.Arguments.Count > 1 && o.RekeyInterval == pristine.RekeyInterval)
        {
            string time = value.Arguments[1];
            if (time.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                o = o with { RekeyInterval = TimeSpan.Zero };
            }
            else if (!time.Equals("default", StringComparison.OrdinalIgnoreCase))
            {
                o = o with { RekeyInterval = ConfigParse.Time(new ConfigValue([time], value.Line)) };
            }
        }

        return o;
    }

    /// <summary>ssh's scaled number: digits and an optional K, M, G or T (powers of 1024); at least 16.</summary>
    public static long Bytes(ConfigLine line, string text)
    {
        long scale = 1;
        string digits = text;
        char unit = text.Length > 1 ? char.ToUpperInvariant(text[^1]) : '0';
        if (unit is 'K' or 'M' or 'G' or 'T')
        {
            scale = unit switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L << 40 };
            digits = text[..^1];
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > long.MaxValue / scale || n * scale < 16)
        {
            throw line.Error($"RekeyLimit: bad amount '{text}' (bytes, with K, M, G or T, at least 16)");
        }

        return n * scale;
    }
}
