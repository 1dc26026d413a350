using Rx.Ssh.Config;

namespace Rx.Ssh;

/// <summary>
/// OpenSSH client configuration (ssh_config(5)): <c>~/.ssh/config</c> then <c>/etc/ssh/ssh_config</c>
/// by default, or files or text given. Immutable and thread-safe; <see cref="Resolve(string, SshConfigResolveOptions?)"/>
/// reads it for one host as ssh would (Host and Match blocks, Include with globs, first value
/// wins, tokens and <c>${NAME}</c>). Included files are read when a resolution reaches them, as
/// ssh does, so an Include under a block that does not match is never opened.
/// </summary>
public sealed class SshConfig
{
    /// <summary>The largest configuration file read (1 MiB).</summary>
    public const int MaxFileLength = 1024 * 1024;

    private readonly IReadOnlyList<(List<ConfigLine> Lines, string IncludeDirectory)> _sources;

    private SshConfig(IReadOnlyList<(List<ConfigLine> Lines, string IncludeDirectory)> sources) => _sources = sources;

    /// <summary>No configuration: every host resolves to the caller's values and the defaults.</summary>
    public static SshConfig Empty { get; } = new([]);

    /// <summary>The user's file, <c>~/.ssh/config</c>.</summary>
    public static string UserConfigPath => Path.Combine(UserSshDirectory(), "config");

    /// <summary>The system-wide file, <c>/etc/ssh/ssh_config</c>.</summary>
    public const string SystemConfigPath = "/etc/ssh/ssh_config";

    /// <summary>
    /// Reads the files ssh reads by default: <see cref="UserConfigPath"/>, then <see cref="SystemConfigPath"/>
    /// (the user's values win). A missing file is no configuration; one that cannot be read or
    /// parsed throws.
    /// </summary>
    /// <exception cref="SshConfigException">A file is malformed, too large, or exists but cannot be read (the message names it).</exception>
    public static SshConfig LoadDefault() => Load([UserConfigPath, SystemConfigPath], requireFiles: false);

    /// <summary>
    /// Reads <paramref name="path"/> (ssh's <c>-F</c>): relative Includes are looked up in the
    /// user's <c>~/.ssh</c>, as ssh does for every file but the system one.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SshConfigException">It is malformed or too large.</exception>
    public static SshConfig Load(string path) => Load([path], requireFiles: true);

    /// <summary>Parses configuration text (named <paramref name="fileName"/> in errors); relative Includes in <paramref name="includeDirectory"/> (default <c>~/.ssh</c>).</summary>
    /// <exception cref="SshConfigException">The text is malformed.</exception>
    public static SshConfig Parse(string text, string fileName = "config", string? includeDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new([(ConfigLexer.Lex(text, fileName), includeDirectory ?? UserSshDirectory())]);
    }

    /// <summary>
    /// What the configuration says for <paramref name="host"/> (the name as given, matched by
    /// <c>Host</c> patterns). Runs <c>Match exec</c> commands and reads included files as it goes.
    /// </summary>
    /// <param name="host">The host name as the user gave it.</param>
    /// <param name="options">The caller's explicit values and the local context; defaults when null.</param>
    /// <exception cref="SshConfigException">A line is malformed (named by file and line), an Include is nested too deeply, a value is invalid.</exception>
    public SshHostConfig Resolve(string host, SshConfigResolveOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        options ??= new SshConfigResolveOptions();
        var cache = new Dictionary<string, List<ConfigLine>?>(StringComparer.Ordinal);
        var evaluator = new ConfigEvaluator(host, options, path =>
        {
            if (!cache.TryGetValue(path, out List<ConfigLine>? lines))
            {
                cache[path] = lines = File.Exists(path) ? ConfigLexer.Lex(ReadFile(path), path) : null;
            }

            return lines;
        });
        evaluator.Run(_sources);
        return new SshHostConfig(host, evaluator);
    }

    private static SshConfig Load(string[] paths, bool requireFiles)
    {
        var sources = new List<(List<ConfigLine>, string)>();
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                if (requireFiles)
                {
                    throw new FileNotFoundException($"SSH configuration file {path} not found", path);
                }

                continue;
            }

            string includeDirectory = path == SystemConfigPath ? "/etc/ssh" : UserSshDirectory();
            sources.Add((ConfigLexer.Lex(ReadFile(path), path), includeDirectory));
        }

        return new(sources);
    }

    /// <summary>
    /// The file's text; one that exists but cannot be read (no permission, a socket or device an
    /// Include glob matched) is an error naming it, as ssh's "Can't open user config file".
    /// </summary>
    private static string ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxFileLength)
            {
                throw new SshConfigException($"{path}: larger than {MaxFileLength} bytes");
            }

            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SshConfigException($"{path}: cannot be read: {e.Message}", e);
        }
    }

    private static string UserSshDirectory() => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
}
