using Microsoft.Extensions.Logging;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Config;

namespace Rx.Ssh.Client.Config;

/// <summary>
/// Ciphers, MACs, KexAlgorithms, HostKeyAlgorithms, PubkeyAcceptedAlgorithms and Compression
/// applied to <see cref="SshAlgorithms"/>: a list replaces the library's defaults, <c>+</c> appends to
/// them, <c>-</c> removes from them (wildcards), <c>^</c> puts names first. Only a kind the code left
/// at <see cref="SshAlgorithms.Default"/> is changed. Names the library does not implement are
/// dropped (debug log); a list left with none names its file and line.
/// </summary>
internal static class ConfigAlgorithms
{
    /// <summary>The kinds of <paramref name="algorithms"/> still at their defaults, edited as the configuration says.</summary>
    public static SshAlgorithms Apply(SshHostConfig config, SshAlgorithms algorithms, ILogger logger)
    {
        SshAlgorithms d = SshAlgorithms.Default;
        SshAlgorithms a = algorithms;
        if (config.KexAlgorithms is { } kex && a.KeyExchange.SequenceEqual(d.KeyExchange))
        {
            a = a with { KeyExchange = Edit(config, "kexalgorithms", d.KeyExchange, kex, AlgorithmCatalog.KeyExchange.ContainsKey, logger) };
        }

        if (config.Ciphers is { } ciphers && a.Ciphers.SequenceEqual(d.Ciphers))
        {
            a = a with { Ciphers = Edit(config, "ciphers", d.Ciphers, ciphers, AlgorithmCatalog.Ciphers.ContainsKey, logger) };
        }

        if (config.Macs is { } macs && a.Macs.SequenceEqual(d.Macs))
        {
            a = a with { Macs = Edit(config, "macs", d.Macs, macs, AlgorithmCatalog.Macs.ContainsKey, logger) };
        }

        if (config.HostKeyAlgorithms is { } hostKey && a.HostKey.SequenceEqual(d.HostKey))
        {
            // Host certificates are asked for by the verifier (@cert-authority lines), not by this list:
            // certificate names in it stand for their plain algorithm.
            a = a with { HostKey = Edit(config, "hostkeyalgorithms", d.HostKey, hostKey, AlgorithmCatalog.HostKey.Contains, logger, plain: true) };
        }

        if (config.Compression == true && a.Compression.SequenceEqual(d.Compression))
        {
            a = a with { Compression = ["zlib@openssh.com", "zlib", "none"] };
        }

        return a;
    }

    /// <summary>PubkeyAcceptedAlgorithms edited against ssh's default: every certificate form, then every plain host key algorithm.</summary>
    public static IReadOnlyList<string> PublicKey(SshHostConfig config, string edit, ILogger logger)
    {
        IReadOnlyList<string> plain = SshAlgorithms.Default.HostKey;
        IReadOnlyList<string> defaults = [.. plain.Select(p => p + "-cert-v01@openssh.com"), .. plain];
        return Edit(config, "pubkeyacceptedalgorithms", defaults, edit, n => AlgorithmCatalog.HostKey.Contains(SshCertificate.BaseAlgorithm(n)), logger);
    }

    /// <summary>One edit, with the names the library cannot use dropped.</summary>
    public static IReadOnlyList<string> Edit(
        SshHostConfig config, string keyword, IReadOnlyList<string> defaults, string edit, Func<string, bool> known, ILogger logger, bool plain = false)
    {
        IReadOnlyList<string> edited = SshAlgorithms.Edit(defaults, edit);
        var result = new List<string>();
        foreach (string name in edited)
        {
            string usable = plain ? SshCertificate.BaseAlgorithm(name) : name;
            if (!known(usable))
            {
                logger.LogDebug(SshLogEvents.Client.ConfigAlgorithmSkipped, "{Keyword}: {Name} is not implemented; skipped", keyword, name);
            }
            else if (!result.Contains(usable))
            {
                result.Add(usable);
            }
        }

        return result.Count > 0 ? result : throw config.Error(keyword, 0, $"{keyword}: no supported algorithm in '{edit}'");
    }
}
