namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>
/// Keeps path requests' results as if they ran one at a time: requests that only look (stat,
/// realpath, opendir, open without create) run in parallel with each other; one that changes names
/// or attributes (mkdir, remove, rename, setstat, open with create...) waits for every earlier path
/// request, and later ones wait for it. Registration happens on the session's read loop only.
/// </summary>
internal sealed class PathOrdering
{
    private readonly List<Task> _lookers = [];
    private Task _lastChange = Task.CompletedTask;

    /// <summary>Registers a request whose completion is <paramref name="done"/>; returns what it waits for.</summary>
    public Task Register(bool changes, Task done)
    {
        if (!changes)
        {
            if (_lookers.Count >= 64)
            {
                _lookers.RemoveAll(t => t.IsCompleted);
            }

            _lookers.Add(done);
            return _lastChange;
        }

        _lookers.Add(_lastChange);
        Task wait = Task.WhenAll(_lookers);
        _lookers.Clear();
        _lastChange = done;
        return wait;
    }
}
