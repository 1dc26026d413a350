using System.Globalization;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A tiny terminal model for asserting what a user would see: replays terminal output
/// (printable text, CR, LF, BS and the common CSI cursor/erase sequences: <c>A B C D G H K J m</c>)
/// onto a grid without scrolling limits and returns the resulting lines. Enough for line
/// editors' echo and redraws; other escape sequences are ignored.
/// </summary>
public static class TerminalScreen
{
    /// <summary>The screen's lines after <paramref name="output"/>, trailing spaces removed.</summary>
    /// <param name="output">Raw terminal output.</param>
    /// <param name="width">Columns; writing past the last one wraps.</param>
    public static IReadOnlyList<string> Render(string output, int width = 80)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = new List<StringBuilder> { new() };
        int row = 0;
        int col = 0;
        for (int i = 0; i < output.Length; i++)
        {
            char c = output[i];
            switch (c)
            {
                case '\r':
                    col = 0;
                    break;
                case '\n':
                    row++;
                    break;
                case '\b':
                    col = Math.Max(0, col - 1);
                    break;
                case '\x1b' when i + 1 < output.Length && output[i + 1] == '[':
                    {
                        int start = i + 2;
                        int end = start;
                        while (end < output.Length && (char.IsAsciiDigit(output[end]) || output[end] is ';' or '?'))
                        {
                            end++;
                        }

                        if (end >= output.Length)
                        {
                            i = end;
                            break;
                        }

                        string[] args = output[start..end].TrimStart('?').Split(';');
                        int n = args[0].Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 0;
                        int count = Math.Max(n, 1);
                        switch (output[end])
                        {
                            case 'A': row = Math.Max(0, row - count); break;
                            case 'B': row += count; break;
                            case 'C': col = Math.Min(width - 1, col + count); break;
                            case 'D': col = Math.Max(0, col - count); break;
                            case 'G': col = Math.Clamp(count - 1, 0, width - 1); break;
                            case 'H':
                                row = count - 1;
                                col = args.Length > 1 && args[1].Length > 0 ? int.Parse(args[1], CultureInfo.InvariantCulture) - 1 : 0;
                                break;
                            case 'K':
                                {
                                    StringBuilder line = LineAt(lines, row);
                                    if (n == 0 && col < line.Length)
                                    {
                                        line.Length = col;
                                    }
                                    else if (n == 1)
                                    {
                                        for (int k = 0; k <= col && k < line.Length; k++)
                                        {
                                            line[k] = ' ';
                                        }
                                    }
                                    else if (n == 2)
                                    {
                                        line.Clear();
                                    }

                                    break;
                                }

                            case 'J' when n == 0:
                                {
                                    StringBuilder line = LineAt(lines, row);
                                    if (col < line.Length)
                                    {
                                        line.Length = col;
                                    }

                                    lines.RemoveRange(row + 1, Math.Max(0, lines.Count - row - 1));
                                    break;
                                }
                        }

                        i = end;
                        break;
                    }

                case '\x1b':
                    i++; // a two-character escape: ignored
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        break;
                    }

                    if (col >= width)
                    {
                        col = 0;
                        row++;
                    }

                    StringBuilder target = LineAt(lines, row);
                    while (target.Length <= col)
                    {
                        target.Append(' ');
                    }

                    target[col++] = c;
                    break;
            }
        }

        LineAt(lines, row);
        return [.. lines.Select(l => l.ToString().TrimEnd(' '))];
    }

    private static StringBuilder LineAt(List<StringBuilder> lines, int row)
    {
        while (lines.Count <= row)
        {
            lines.Add(new StringBuilder());
        }

        return lines[row];
    }
}
