namespace Rx.Ssh.Config;

/// <summary>What the evaluator needs to know about keywords: which accumulate and which take tokens.</summary>
internal static class ConfigKeywords
{
    /// <summary>Keywords every directive adds to (duplicates dropped), where the others keep their first value.</summary>
    public static readonly HashSet<string> Accumulating =
    [
        "identityfile", "certificatefile", "localforward", "remoteforward", "dynamicforward", "sendenv", "setenv",
    ];

    /// <summary>Keywords whose values take <c>%</c> tokens, <c>~</c> and <c>${NAME}</c>.</summary>
    public static readonly HashSet<string> Paths =
    [
        "identityfile", "certificatefile", "identityagent", "userknownhostsfile", "globalknownhostsfile", "controlpath",
    ];

    /// <summary>Keywords whose values take <c>%</c> tokens only (commands).</summary>
    public static readonly HashSet<string> Commands =
    [
        "proxycommand", "remotecommand", "localcommand", "knownhostscommand",
    ];

    /// <summary>The keywords this library acts on; others are kept but unused (debug-logged).</summary>
    public static readonly HashSet<string> Known =
    [
        "host", "match", "include", "hostname", "port", "user", "identityfile", "identitiesonly", "certificatefile",
        "identityagent", "userknownhostsfile", "globalknownhostsfile", "stricthostkeychecking", "hostkeyalias",
        "checkhostip", "hashknownhosts", "proxyjump", "proxycommand", "connecttimeout", "serveraliveinterval",
        "serveralivecountmax", "ciphers", "macs", "kexalgorithms", "hostkeyalgorithms", "pubkeyacceptedalgorithms",
        "pubkeyacceptedkeytypes", "preferredauthentications", "passwordauthentication", "kbdinteractiveauthentication",
        "challengeresponseauthentication", "sendenv", "setenv", "requesttty", "remotecommand", "compression",
        "rekeylimit", "forwardagent", "localforward", "remoteforward", "dynamicforward", "tag", "ignoreunknown",
        "exitonforwardfailure", "gatewayports",
    ];
}
