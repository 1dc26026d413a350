namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>
/// A session's open handles, at most a fixed number: a slot is reserved before the file is opened
/// (so concurrent OPENs cannot exceed the limit), then filled or released.
/// </summary>
internal sealed class HandleTable
{
    private readonly Dictionary<uint, OpenHandle> _handles = [];
    private readonly int _max;
    private readonly Lock _lock = new();
    private int _reserved;
    private uint _next;

    public HandleTable(int max) => _max = max;

    /// <summary>Reserves a slot; false when the session is at its limit.</summary>
    public bool TryReserve()
    {
        lock (_lock)
        {
            if (_handles.Count + _reserved >= _max)
            {
                return false;
            }

            _reserved++;
            return true;
        }
    }

    /// <summary>Gives a reserved slot back (the open failed).</summary>
    public void Release()
    {
        lock (_lock)
        {
            _reserved--;
        }
    }

    /// <summary>Fills a reserved slot.</summary>
    public OpenHandle Add(SftpOpenFile? file, SftpOpenDirectory? directory)
    {
        lock (_lock)
        {
            _reserved--;
            while (_handles.ContainsKey(++_next))
            {
            }

            var handle = new OpenHandle(_next, file, directory);
            _handles.Add(handle.Key, handle);
            return handle;
        }
    }

    /// <summary>The open handle a client's handle string names, or null.</summary>
    public OpenHandle? Find(byte[]? bytes)
    {
        if (bytes is not { Length: 4 })
        {
            return null;
        }

        uint key = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        lock (_lock)
        {
            return _handles.GetValueOrDefault(key);
        }
    }

    /// <summary>Removes a handle (CLOSE).</summary>
    public void Remove(OpenHandle handle)
    {
        lock (_lock)
        {
            _handles.Remove(handle.Key);
        }
    }

    /// <summary>Removes and returns every handle (the session ended).</summary>
    public List<OpenHandle> TakeAll()
    {
        lock (_lock)
        {
            List<OpenHandle> all = [.. _handles.Values];
            _handles.Clear();
            return all;
        }
    }
}
