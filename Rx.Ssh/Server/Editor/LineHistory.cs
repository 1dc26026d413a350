namespace Rx.Ssh.Server.Editor;

/// <summary>
/// The lines a user entered, newest first, in a fixed-size ring: adding to a full history drops the oldest.
/// A line equal to the newest entry is not added again.
/// </summary>
internal sealed class LineHistory
{
    private readonly string[] _items;
    private int _newest = -1;

    public LineHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _items = new string[capacity];
    }

    public int Count { get; private set; }

    /// <summary>The entry <paramref name="age"/> steps back: 0 is the most recent line.</summary>
    public string this[int age]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(age);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(age, Count);
            int index = _newest - age;
            return _items[index < 0 ? index + _items.Length : index];
        }
    }

    public void Add(string line)
    {
        if (_items.Length == 0 || (Count > 0 && this[0] == line))
        {
            return;
        }

        _newest = (_newest + 1) % _items.Length;
        _items[_newest] = line;
        Count = Math.Min(Count + 1, _items.Length);
    }
}
