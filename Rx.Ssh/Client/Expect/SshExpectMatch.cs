using System.Text.RegularExpressions;

namespace Rx.Ssh;

/// <summary>What an expect found: the text received before the match and the matched text.</summary>
/// <param name="Before">Everything received since the previous match (or the start) up to the match.</param>
/// <param name="Value">The matched text (the prompt, say).</param>
/// <param name="RegexMatch">The regular-expression match with its groups; null when a plain string was expected.</param>
public sealed record SshExpectMatch(string Before, string Value, Match? RegexMatch);
