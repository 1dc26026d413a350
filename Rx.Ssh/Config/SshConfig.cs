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
    private readonly bool _readDefaultFiles;

    private SshConfig(IReadOnlyList<(List<ConfigLine> Lines, string IncludeDirectory)> sources, bool readDefaultFiles = false)
    {
        _sources = sources;
        _readDefaultFiles = readDefaultFiles;
    }

    /// <summary>
    /// No configuration: every host resolves to the caller's values and the defaults. Set
    /// <see cref="SshClientOptions.Config"/> to it to connect without reading any file (ssh's <c>-F none</c>).
    /// </summary>
    public static SshConfig Empty { get; } = new([]);

    /// <summary>
    /// The files ssh reads by default (<see cref="UserConfigPath"/>, then <see cref="SystemConfigPath"/>),
    /// read again at every <see cref="Resolve(string, SshConfigResolveOptions?)"/>, so edits take effect
    /// at the next connection (as each ssh command reads them). Missing files are no configuration.
    /// The default of <see cref="SshClientOptions.Config"/>.
    /// </summary>
    public static SshConfig Default { get; } = new([], readDefaultFiles: true);

    /// <summary>
    /// The files <see cref="Default"/> reads, asked at each resolution. A seam for test suites, which must
    /// not see the machine's configuration (Rx.Ssh.Tests sets it to none in a module initializer).
    /// </summary>
    internal static Func<IReadOnlyList<string>> DefaultFiles { get; set; } = () => [UserConfigPath, SystemConfigPath];

    /// <summary>The user's file, <c>~/.ssh/config</c>.</summary>
    public static string UserConfigPath => Path.Combine(UserSshDirectory(), "config");

    /// <summary>The system-wide file, <c>/etc/ssh/ssh_config</c>.</summary>
    public const string SystemConfigPath = "/etc/ssh/ssh_config";

    /// <summary>
    /// Reads the files ssh reads by default: <see cref="UserConfigPath"/>, then <see cref="SystemConfigPath"/>
    /// (the user's values win). A missing file is no configuration; one that cannot be read or
    /// parsed throws.
    /// </summary>
    /// <exception cref="SshConfigException">A file is malformed, too large, or exists but cannot be read (<see cref="SshConfigException.FileName"/> names it).</exception>
    public static SshConfig LoadDefault() => Load([UserConfigPath, SystemConfigPath], requireFiles: false);

    /// <summary>
    /// Reads <paramref name="path"/> (ssh's <c>-F</c>): relative Includes are looked up in the
    /// user's <c>~/.ssh</c>, as ssh does for every file but the system one.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SshConfigException">It is malformed, too large or unreadable.</exception>
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
    /// <exception cref="SshConfigException">A line is malformed (named by file and line), an Include is nested too deeply (an Include loop), a value is invalid, a file cannot be read (named).</exception>
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
        evaluator.Run(_readDefaultFiles ? LoadSources([.. DefaultFiles()], requireFiles: false) : _sources);
        return new SshHostConfig(host, evaluator);
    }

    private static SshConfig Load(string[] paths, bool requireFiles) => new(LoadSources(paths, requireFiles));

    private static List<(List<ConfigLine>, string)> LoadSources(string[] paths, bool requireFiles)
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

        return sources;
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
                throw new SshConfigException(path, $"{path}: larger than {MaxFileLength} bytes", null);
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var buffer = new char[4096];
            var text = new System.Text.StringBuilder();
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                // The length above may lie (a file growing, or one of /proc's): the limit holds regardless.
                if (text.Length + read > MaxFileLength)
                {
                    throw new SshConfigException(path, $"{path}: larger than {MaxFileLength} bytes", null);
                }

                text.Append(buffer, 0, read);
            }

            return text.ToString();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SshConfigException(path, $"{path}: cannot be read: {ex.Message}", ex);
        }
    }

    private static string UserSshDirectory() => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
}
