using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using System.Text;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// A thread-safe <see cref="TextWriter"/> for a sample's stdout or stderr: keeps all the text and
/// replays every completed line to subscribers of <see cref="Lines"/>, so a test can await a line.
/// </summary>
internal sealed class LineWriter : TextWriter
{
    private readonly StringBuilder _all = new();
    private readonly StringBuilder _line = new();
    private readonly object _emit = new();
    private readonly ReplaySubject<string> _lines = new();
    private readonly BehaviorSubject<long> _version = new(0);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Every line written so far, then each new one (without the newline).</summary>
    public IObservable<string> Lines => _lines.AsObservable();

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get
        {
            lock (_all)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>Waits for the first line matching <paramref name="predicate"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> predicate) =>
        Lines.FirstAsync(predicate).Timeout(Infrastructure.TestTimeout.Default).ToTask();

    /// <summary>Waits until everything written so far contains <paramref name="text"/>.</summary>
    public Task WaitForTextAsync(string text) =>
        _version.Select(_ => Text).FirstAsync(all => all.Contains(text, StringComparison.Ordinal)).Timeout(Infrastructure.TestTimeout.Default).ToTask();

    public override void Write(char value)
    {
        // Notifications go out under _emit (in order, one at a time) but not under _all: a subscriber
        // joining BehaviorSubject reads Text (taking _all) while it holds the subject's own gate, so
        // notifying while holding _all deadlocked against it. _all is held only for the append.
        lock (_emit)
        {
            string? completed = null;
            long length;
            lock (_all)
            {
                _all.Append(value);
                if (value == '\n')
                {
                    completed = _line.ToString().TrimEnd('\r');
                    _line.Clear();
                }
                else
                {
                    _line.Append(value);
                }

                length = _all.Length;
            }

            if (completed is not null)
            {
                _lines.OnNext(completed);
            }

            _version.OnNext(length);
        }
    }

    public override void Write(string? value)
    {
        foreach (char c in value ?? string.Empty)
        {
            Write(c);
        }
    }
}
