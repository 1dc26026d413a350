using System.Text;

namespace Rx.Ssh.Cli.Commands;

/// <summary>
/// Cuts one host's stream into lines and writes each whole, prefixed (<c>host | line</c>), under a
/// lock shared by every host so lines of different hosts never interleave. The last partial line
/// is written by <see cref="Flush"/>.
/// </summary>
internal sealed class LinePrefixer(string prefix, TextWriter output, Lock gate)
{
    private readonly StringBuilder _pending = new();

    /// <summary>Adds text; writes every line it completes.</summary>
    public void Write(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _pending.Append(text, start, i - start);
                Emit();
                start = i + 1;
            }
        }

        _pending.Append(text, start, text.Length - start);
    }

    /// <summary>Writes what is left of an unterminated last line.</summary>
    public void Flush()
    {
        if (_pending.Length > 0)
        {
            Emit();
        }
    }

    private void Emit()
    {
        if (_pending.Length > 0 && _pending[^1] == '\r')
        {
            _pending.Length--;
        }

        string line = prefix + _pending;
        _pending.Clear();
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
