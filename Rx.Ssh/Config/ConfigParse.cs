using System.Globalization;

namespace Rx.Ssh.Config;

/// <summary>The value syntaxes of ssh_config(5): yes/no flags, numbers, sshd time intervals.</summary>
internal static class ConfigParse
{
    /// <summary><c>yes</c>/<c>true</c> or <c>no</c>/<c>false</c>.</summary>
    public static bool Flag(ConfigValue value) => value.First.ToLowerInvariant() switch
    {
        "yes" or "true" => true,
        "no" or "false" => false,
        _ => throw value.Line.Error($"{value.Line.Keyword}: expected yes or no, not '{value.First}'"),
    };

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static int Number(ConfigValue value, int min, int max) =>
        int.TryParse(value.First, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw value.Line.Error($"{value.Line.Keyword}: expected a number from {min} to {max}, not '{value.First}'");

    /// <summary>A time as sshd_config(5) writes it: <c>90</c>, <c>90s</c>, <c>1m30s</c>, <c>2h</c>, <c>1d</c>, <c>1w</c>.</summary>
    public static TimeSpan Time(ConfigValue value)
    {
        string text = value.First.ToLowerInvariant();
        long seconds = 0;
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || !long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > int.MaxValue)
            {
                throw value.Line.Error($"{value.Line.Keyword}: bad time '{value.First}'");
            }

            long unit = i < text.Length ? text[i++] switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                'w' => 604800,
                _ => throw value.Line.Error($"{value.Line.Keyword}: bad time unit in '{value.First}'"),
            } : 1;
            seconds += n * unit;
            if (seconds > int.MaxValue)
            {
                throw value.Line.Error($"{value.Line.Keyword}: time '{value.First}' too large");
            }
        }

        return text.Length == 0 ? throw value.Line.Error($"{value.Line.Keyword}: empty time") : TimeSpan.FromSeconds(seconds);
    }
}
