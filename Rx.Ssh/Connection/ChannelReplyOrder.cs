namespace Rx.Ssh.Connection;

/// <summary>
/// Keeps the replies to one channel's want-reply requests in request order (RFC 4254 section 5.4)
/// when they are decided out of order or late: each request takes a slot when it is read, an
/// answer fills its slot, and answers go out as soon as every earlier slot is filled.
/// </summary>
internal sealed class ChannelReplyOrder(SshChannel channel)
{
    private readonly object _gate = new();
    private readonly Queue<Slot> _waiting = new();

    /// <summary>Takes the next slot (call in the order the requests were read); answer it with the returned function.</summary>
    public Func<bool, bool> Reserve()
    {
        var slot = new Slot();
        lock (_gate)
        {
            _waiting.Enqueue(slot);
        }

        return success => Answer(slot, success);
    }

    private bool Answer(Slot slot, bool success)
    {
        lock (_gate)
        {
            if (slot.Answered)
            {
                return false;
            }

            slot.Answered = true;
            slot.Success = success;
            while (_waiting.TryPeek(out Slot? head) && head.Answered)
            {
                _waiting.Dequeue();
                channel.Reply(head.Success); // never blocks: queued on the transport's reply budget
            }
        }

        return true;
    }

    private sealed class Slot
    {
        public bool Answered;
        public bool Success;
    }
}
