using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Config;

/// <summary>
/// Reads the directives for one host as ssh does: in file order, <c>Host</c> and <c>Match</c>
/// lines switching the lines after them on or off, <c>Include</c> read in place (under the
/// enclosing block's condition), the first value of each keyword kept (the list keywords adding
/// up). When a <c>Match final</c> (or <c>canonical</c>) is seen, everything is read a second time
/// with those criteria true, on top of the first pass's values.
/// </summary>
internal sealed class ConfigEvaluator
{
    /// <summary>How deeply Include may nest (ssh's limit).</summary>
    public const int MaxIncludeDepth = 16;

    private readonly string _originalHost;
    private readonly SshConfigResolveOptions _options;
    private readonly Func<string, List<ConfigLine>?> _readFile;
    private bool _finalPass;
    private bool _sawFinal;

    public ConfigEvaluator(string originalHost, SshConfigResolveOptions options, Func<string, List<ConfigLine>?> readFile)
    {
        _originalHost = originalHost;
        _options = options;
        _readFile = readFile;
    }

    /// <summary>The values collected, by lower-case keyword.</summary>
    public Dictionary<string, List<ConfigValue>> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="sources"/> (each with the folder its relative Includes are in), in order.</summary>
    public void Run(IReadOnlyList<(List<ConfigLine> Lines, string IncludeDirectory)> sources)
    {
        foreach ((List<ConfigLine> lines, string directory) in sources)
        {
            Evaluate(lines, directory, depth: 0, neverMatch: false, active: true);
        }

        if (_sawFinal)
        {
            _finalPass = true;
            foreach ((List<ConfigLine> lines, string directory) in sources)
            {
                Evaluate(lines, directory, depth: 0, neverMatch: false, active: true);
            }
        }
    }

    /// <summary>The host name connected to so far: HostName (its <c>%h</c> replaced) or the name given.</summary>
    public string CurrentHostName() =>
        Values.TryGetValue("hostname", out List<ConfigValue>? v) ? v[0].First.Replace("%h", _originalHost, StringComparison.Ordinal) : _originalHost;

    /// <summary>The remote user so far: the caller's, else User, else the local user.</summary>
    public string CurrentUser() =>
        _options.User ?? (Values.TryGetValue("user", out List<ConfigValue>? v) ? v[0].First : _options.LocalUser);

    /// <summary>The port so far: the caller's, else Port, else 22.</summary>
    public int CurrentPort() =>
        _options.Port ?? (Values.TryGetValue("port", out List<ConfigValue>? v) && int.TryParse(v[0].First, out int port) ? port : 22);

    /// <summary>The token values as they stand.</summary>
    public ConfigTokens Tokens() => new()
    {
        OriginalHost = _originalHost,
        HostName = CurrentHostName(),
        Port = CurrentPort(),
        RemoteUser = CurrentUser(),
        LocalUser = _options.LocalUser,
        HomeDirectory = _options.HomeDirectory,
        HostKeyAlias = Values.TryGetValue("hostkeyalias", out List<ConfigValue>? a) ? a[0].First : null,
        ProxyJump = Values.TryGetValue("proxyjump", out List<ConfigValue>? j) ? j[0].First : null,
        Environment = _options.Environment,
    };

    // An included file starts in the state of the line that includes it; where that is off, its
    // own Host and Match lines never match (ssh's SSHCONF_NEVERMATCH).
    private void Evaluate(List<ConfigLine> lines, string includeDirectory, int depth, bool neverMatch, bool active)
    {
        foreach (ConfigLine line in lines)
        {
            switch (line.Keyword)
            {
                case "host":
                    active = !neverMatch && MatchesHost(line);
                    break;
                case "match":
                    // Evaluated even where it cannot match, so that its syntax errors are reported.
                    bool matches = new ConfigMatch(this, line, _finalPass, _options).Evaluate(out bool final);
                    _sawFinal |= final;
                    active = !neverMatch && matches;
                    break;
                case "include":
                    Include(line, includeDirectory, depth, neverMatch || !active, active);
                    break;
                default:
                    if (active)
                    {
                        Apply(line);
                    }

                    break;
            }
        }
    }

    private bool MatchesHost(ConfigLine line)
    {
        if (line.Arguments.Count == 0)
        {
            throw line.Error("Host needs at least one pattern");
        }

        bool matched = false;
        foreach (string pattern in line.Arguments)
        {
            bool negated = pattern.StartsWith('!');
            if (Keys.HostPattern.Matches(_originalHost, negated ? pattern.AsSpan(1) : pattern))
            {
                if (negated)
                {
                    return false;
                }

                matched = true;
            }
        }

        return matched;
    }

    private void Include(ConfigLine line, string includeDirectory, int depth, bool neverMatch, bool active)
    {
        if (line.Arguments.Count == 0)
        {
            throw line.Error("Include needs a file name");
        }

        if (depth >= MaxIncludeDepth)
        {
            throw line.Error($"Include nested deeper than {MaxIncludeDepth}");
        }

        ConfigTokens tokens = Tokens();
        foreach (string argument in line.Arguments)
        {
            string pattern = tokens.Expand(argument, line, tilde: true, environment: true);
            if (!Path.IsPathRooted(pattern))
            {
                pattern = Path.Combine(includeDirectory, pattern);
            }

            foreach (string file in ConfigGlob.Expand(pattern))
            {
                List<ConfigLine>? included = _readFile(file);
                if (included is not null)
                {
                    Evaluate(included, includeDirectory, depth + 1, neverMatch, active);
                }
            }
        }
    }

    private void Apply(ConfigLine line)
    {
        if (line.Arguments.Count == 0)
        {
            throw line.Error($"{line.Keyword} needs a value");
        }

        if (!ConfigKeywords.Known.Contains(line.Keyword))
        {
            _options.Logger?.LogDebug(SshLogEvents.Client.ConfigKeywordIgnored, "{File} line {Line}: unknown keyword {Keyword} ignored", line.FileName, line.LineNumber, line.Keyword);
        }

        var value = new ConfigValue(line.Arguments, line);
        if (!Values.TryGetValue(line.Keyword, out List<ConfigValue>? list))
        {
            Values[line.Keyword] = [value];
        }
        else if (ConfigKeywords.Accumulating.Contains(line.Keyword) && !list.Exists(v => v.Arguments.SequenceEqual(line.Arguments)))
        {
            list.Add(value);
        }
    }
}
