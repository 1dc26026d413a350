using Rx.Ssh.Config;

namespace Rx.Ssh;

/// <summary>
/// What the OpenSSH client configuration says for one host (<see cref="SshConfig.Resolve(string, SshConfigResolveOptions?)"/>):
/// the first value of each keyword from the matching <c>Host</c>/<c>Match</c> blocks, the list
/// keywords (IdentityFile, CertificateFile, Local/Remote/DynamicForward, SendEnv, SetEnv) in the
/// order given, tokens (<c>%h</c>, <c>%p</c>, <c>%r</c>, <c>%u</c>, <c>%d</c>, <c>%n</c>, ...),
/// <c>~</c> and <c>${NAME}</c> expanded where ssh expands them. Null means "not set": the caller's
/// default applies. Values are checked when resolved: a bad one is an <see cref="SshConfigException"/>
/// naming its file and line.
/// </summary>
public sealed class SshHostConfig
{
    private readonly Dictionary<string, List<ConfigValue>> _values;

    internal SshHostConfig(string host, ConfigEvaluator evaluator)
    {
        _values = evaluator.Values;
        if (Value("port") is { } port)
        {
            ConfigParse.Number(port, 1, 65535);
        }

        ConfigTokens tokens = evaluator.Tokens();
        Host = host;
        HostName = tokens.HostName;
        Port = tokens.Port;
        User = tokens.RemoteUser;
        IdentityFiles = Paths("identityfile", tokens);
        CertificateFiles = Paths("certificatefile", tokens);
        UserKnownHostsFiles = FirstPaths("userknownhostsfile", tokens);
        GlobalKnownHostsFiles = FirstPaths("globalknownhostsfile", tokens);
        IdentityAgent = FirstPaths("identityagent", tokens)?[0];
        ProxyCommand = Command("proxycommand", tokens);
        RemoteCommand = Command("remotecommand", tokens);
        IdentitiesOnly = Flag("identitiesonly");
        CheckHostIP = Flag("checkhostip");
        HashKnownHosts = Flag("hashknownhosts");
        PasswordAuthentication = Flag("passwordauthentication");
        KbdInteractiveAuthentication = Flag("kbdinteractiveauthentication") ?? Flag("challengeresponseauthentication");
        Compression = Flag("compression");
        HostKeyAlias = First("hostkeyalias");
        ProxyJump = First("proxyjump") is { } jump && !jump.Equals("none", StringComparison.OrdinalIgnoreCase) ? jump : null;
        Ciphers = First("ciphers");
        Macs = First("macs");
        KexAlgorithms = First("kexalgorithms");
        HostKeyAlgorithms = First("hostkeyalgorithms");
        PubkeyAcceptedAlgorithms = First("pubkeyacceptedalgorithms") ?? First("pubkeyacceptedkeytypes");
        PreferredAuthentications = First("preferredauthentications")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        RequestTty = First("requesttty");
        RekeyLimit = Value("rekeylimit")?.Arguments;
        ForwardAgent = First("forwardagent");
        ConnectTimeout = Value("connecttimeout") is { } timeout ? ConfigParse.Time(timeout) : null;
        ServerAliveInterval = Value("serveraliveinterval") is { } alive ? ConfigParse.Time(alive) : null;
        ServerAliveCountMax = Value("serveralivecountmax") is { } count ? ConfigParse.Number(count, 0, int.MaxValue) : null;
        StrictHostKeyChecking = Value("stricthostkeychecking") is { } strict ? Strict(strict) : null;
        SendEnv = [.. All("sendenv").SelectMany(v => v.Arguments)];
        SetEnv = SetEnvironment();
        LocalForwards = [.. All("localforward").Select(v => v.Arguments)];
        RemoteForwards = [.. All("remoteforward").Select(v => v.Arguments)];
        DynamicForwards = [.. All("dynamicforward").Select(v => v.First)];
    }

    /// <summary>The host name as given (what <c>Host</c> patterns are matched against).</summary>
    public string Host { get; }

    /// <summary>The host to connect to: <c>HostName</c> (with <c>%h</c> replaced), else <see cref="Host"/>.</summary>
    public string HostName { get; }

    /// <summary>The port: the caller's, else <c>Port</c>, else 22.</summary>
    public int Port { get; }

    /// <summary>The remote user: the caller's, else <c>User</c>, else the local user.</summary>
    public string User { get; }

    /// <summary><c>IdentityFile</c>s, expanded, in order (empty when none: ssh's defaults apply).</summary>
    public IReadOnlyList<string> IdentityFiles { get; }

    /// <summary><c>IdentitiesOnly</c>: offer only the configured identities, not every agent key.</summary>
    public bool? IdentitiesOnly { get; }

    /// <summary><c>CertificateFile</c>s, expanded, in order.</summary>
    public IReadOnlyList<string> CertificateFiles { get; }

    /// <summary><c>IdentityAgent</c>: the agent socket path, <c>SSH_AUTH_SOCK</c>, or <c>none</c>.</summary>
    public string? IdentityAgent { get; }

    /// <summary><c>UserKnownHostsFile</c> (several files on one line), expanded.</summary>
    public IReadOnlyList<string>? UserKnownHostsFiles { get; }

    /// <summary><c>GlobalKnownHostsFile</c>, expanded.</summary>
    public IReadOnlyList<string>? GlobalKnownHostsFiles { get; }

    /// <summary><c>StrictHostKeyChecking</c>.</summary>
    public SshStrictHostKeyChecking? StrictHostKeyChecking { get; }

    /// <summary><c>HostKeyAlias</c>: the name host keys are looked up and saved under.</summary>
    public string? HostKeyAlias { get; }

    /// <summary><c>CheckHostIP</c>.</summary>
    public bool? CheckHostIP { get; }

    /// <summary><c>HashKnownHosts</c>: hash names of keys added to known_hosts.</summary>
    public bool? HashKnownHosts { get; }

    /// <summary><c>ProxyJump</c> (<c>[user@]host[:port][,...]</c>); null for <c>none</c>.</summary>
    public string? ProxyJump { get; }

    /// <summary><c>ProxyCommand</c>, its tokens expanded (<c>none</c> kept as is).</summary>
    public string? ProxyCommand { get; }

    /// <summary><c>ConnectTimeout</c>.</summary>
    public TimeSpan? ConnectTimeout { get; }

    /// <summary><c>ServerAliveInterval</c> (zero: off).</summary>
    public TimeSpan? ServerAliveInterval { get; }

    /// <summary><c>ServerAliveCountMax</c>.</summary>
    public int? ServerAliveCountMax { get; }

    /// <summary><c>Ciphers</c> as written (a list, or one edited with a leading <c>+</c>, <c>-</c> or <c>^</c>).</summary>
    public string? Ciphers { get; }

    /// <summary><c>MACs</c> as written.</summary>
    public string? Macs { get; }

    /// <summary><c>KexAlgorithms</c> as written.</summary>
    public string? KexAlgorithms { get; }

    /// <summary><c>HostKeyAlgorithms</c> as written.</summary>
    public string? HostKeyAlgorithms { get; }

    /// <summary><c>PubkeyAcceptedAlgorithms</c> (or its old name <c>PubkeyAcceptedKeyTypes</c>) as written.</summary>
    public string? PubkeyAcceptedAlgorithms { get; }

    /// <summary><c>PreferredAuthentications</c>, in order.</summary>
    public IReadOnlyList<string>? PreferredAuthentications { get; }

    /// <summary><c>PasswordAuthentication</c>.</summary>
    public bool? PasswordAuthentication { get; }

    /// <summary><c>KbdInteractiveAuthentication</c> (or <c>ChallengeResponseAuthentication</c>).</summary>
    public bool? KbdInteractiveAuthentication { get; }

    /// <summary><c>SendEnv</c> patterns, in order (a leading <c>-</c> removes earlier ones, as in ssh).</summary>
    public IReadOnlyList<string> SendEnv { get; }

    /// <summary><c>SetEnv</c> variables (the first value of each name).</summary>
    public IReadOnlyDictionary<string, string> SetEnv { get; }

    /// <summary><c>RequestTTY</c> (<c>yes</c>, <c>no</c>, <c>force</c>, <c>auto</c>).</summary>
    public string? RequestTty { get; }

    /// <summary><c>RemoteCommand</c>, its tokens expanded.</summary>
    public string? RemoteCommand { get; }

    /// <summary><c>Compression</c>.</summary>
    public bool? Compression { get; }

    /// <summary><c>RekeyLimit</c>'s arguments (amount, then optional time).</summary>
    public IReadOnlyList<string>? RekeyLimit { get; }

    /// <summary><c>ForwardAgent</c> (<c>yes</c>, <c>no</c>, a socket path or <c>$VAR</c>).</summary>
    public string? ForwardAgent { get; }

    /// <summary>Each <c>LocalForward</c>'s arguments (listen, then destination).</summary>
    public IReadOnlyList<IReadOnlyList<string>> LocalForwards { get; }

    /// <summary>Each <c>RemoteForward</c>'s arguments (listen, then destination when not dynamic).</summary>
    public IReadOnlyList<IReadOnlyList<string>> RemoteForwards { get; }

    /// <summary>Each <c>DynamicForward</c>'s listen address.</summary>
    public IReadOnlyList<string> DynamicForwards { get; }

    /// <summary>The first directive's arguments for <paramref name="keyword"/> (any keyword, known or not), or null.</summary>
    public IReadOnlyList<string>? this[string keyword] => Value(keyword.ToLowerInvariant())?.Arguments;

    /// <summary>An error about the <paramref name="index"/>th value of <paramref name="keyword"/>, naming its file and line.</summary>
    internal SshConfigException Error(string keyword, int index, string problem) =>
        _values.TryGetValue(keyword, out List<ConfigValue>? v) && index < v.Count
            ? v[index].Line.Error(problem)
            : new SshConfigException(problem);

    /// <summary>The first value of <paramref name="keyword"/> (lower case) with its line, or null.</summary>
    internal ConfigValue? FirstValue(string keyword) => Value(keyword);

    private ConfigValue? Value(string keyword) => _values.TryGetValue(keyword, out List<ConfigValue>? v) ? v[0] : null;

    private IEnumerable<ConfigValue> All(string keyword) => _values.TryGetValue(keyword, out List<ConfigValue>? v) ? v : [];

    private string? First(string keyword) => Value(keyword)?.First;

    private bool? Flag(string keyword) => Value(keyword) is { } v ? ConfigParse.Flag(v) : null;

    private string[] Paths(string keyword, ConfigTokens tokens) =>
        [.. All(keyword).SelectMany(v => v.Arguments.Select(a => tokens.Expand(a, v.Line, tilde: true, environment: true)))];

    private string[]? FirstPaths(string keyword, ConfigTokens tokens) =>
        Value(keyword) is { } v ? [.. v.Arguments.Select(a => tokens.Expand(a, v.Line, tilde: true, environment: true))] : null;

    private string? Command(string keyword, ConfigTokens tokens) =>
        Value(keyword) is { } v ? tokens.Expand(string.Join(' ', v.Arguments), v.Line, tilde: false, environment: false) : null;

    private static SshStrictHostKeyChecking Strict(ConfigValue value) => value.First.ToLowerInvariant() switch
    {
        "yes" or "true" => SshStrictHostKeyChecking.Yes,
        "accept-new" => SshStrictHostKeyChecking.AcceptNew,
        "no" or "off" or "false" => SshStrictHostKeyChecking.No,
        "ask" => SshStrictHostKeyChecking.Ask,
        _ => throw value.Line.Error($"StrictHostKeyChecking: unknown value '{value.First}'"),
    };

    private Dictionary<string, string> SetEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ConfigValue value in All("setenv"))
        {
            foreach (string assignment in value.Arguments)
            {
                int equals = assignment.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw value.Line.Error($"SetEnv: expected NAME=VALUE, not '{assignment}'");
                }

                variables.TryAdd(assignment[..equals], assignment[(equals + 1)..]);
            }
        }

        return variables;
    }
}
