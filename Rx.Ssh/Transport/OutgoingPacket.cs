namespace Rx.Ssh.Transport;

/// <summary>What the writer does around a packet besides sending it.</summary>
internal enum PacketAction : byte
{
    None,

    /// <summary>Our KEXINIT: from now on only key exchange packets may go out.</summary>
    StartKeyExchange,

    /// <summary>Our NEWKEYS: switch to the new keys after it, then release held packets.</summary>
    EndKeyExchange,
}

/// <summary>
/// A payload waiting for the writer. <see cref="Buffer"/> is rented from the shared pool; the writer
/// returns it. <see cref="IsReply"/>: counted as a read-loop reply in the <see cref="ByteBudget"/>.
/// </summary>
internal readonly record struct OutgoingPacket(byte[] Buffer, int Length, PacketAction Action, bool IsReply = false);
