namespace Rx.Ssh.Config;

/// <summary>One directive of a configuration file: its keyword (lower case), arguments, and where it is.</summary>
/// <param name="Keyword">The keyword, lower-cased (keywords are case-insensitive).</param>
/// <param name="Arguments">The arguments, quotes removed.</param>
/// <param name="FileName">The file it came from.</param>
/// <param name="LineNumber">Its line, from 1.</param>
internal sealed record ConfigLine(string Keyword, IReadOnlyList<string> Arguments, string FileName, int LineNumber)
{
    /// <summary>A syntax error on this line.</summary>
    public SshConfigException Error(string problem) => new(FileName, LineNumber, problem);
}
