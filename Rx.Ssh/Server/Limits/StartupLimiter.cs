using System.Net;
using System.Net.Sockets;

namespace Rx.Ssh.Server.Limits;

/// <summary>
/// Decides whether a new connection may start authenticating, and counts those that do: a hard
/// cap (<see cref="SshServerOptions.MaxUnauthenticatedConnections"/>), caps per source address and
/// per source network block, and random early drop between
/// <see cref="SshServerOptions.RandomDropStart"/> and the hard cap (the scheme of OpenSSH's
/// <c>MaxStartups start:rate:full</c>). One instance per listener, and one per options instance for
/// <see cref="SshServer.AcceptAsync"/>. Thread-safe.
/// </summary>
internal sealed class StartupLimiter
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Dictionary<IPAddress, int> _perBlock = [];
    private readonly SshServerOptions _options;
    private readonly Func<int, int> _random;
    private readonly SourcePenaltyBox _penalties;
    private int _total;

    public StartupLimiter(SshServerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.RandomDropStart, nameof(options) + "." + nameof(options.RandomDropStart));
        ArgumentOutOfRangeException.ThrowIfNegative(options.RandomDropRate, nameof(options) + "." + nameof(options.RandomDropRate));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.RandomDropRate, 100, nameof(options) + "." + nameof(options.RandomDropRate));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxUnauthenticatedPerAddress, nameof(options) + "." + nameof(options.MaxUnauthenticatedPerAddress));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxUnauthenticatedPerNetBlock, nameof(options) + "." + nameof(options.MaxUnauthenticatedPerNetBlock));
        ArgumentOutOfRangeException.ThrowIfNegative(options.NetBlockPrefixIPv4, nameof(options) + "." + nameof(options.NetBlockPrefixIPv4));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.NetBlockPrefixIPv4, 32, nameof(options) + "." + nameof(options.NetBlockPrefixIPv4));
        ArgumentOutOfRangeException.ThrowIfNegative(options.NetBlockPrefixIPv6, nameof(options) + "." + nameof(options.NetBlockPrefixIPv6));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.NetBlockPrefixIPv6, 128, nameof(options) + "." + nameof(options.NetBlockPrefixIPv6));
        _options = options;
        _random = options.StartupRandom ?? Random.Shared.Next;
        _penalties = new SourcePenaltyBox(options.SourcePenalties ?? SshSourcePenalties.Off, options.Scheduler);
    }

    /// <summary>
    /// Admits a connection from <paramref name="remote"/> (per-source caps apply to IP end points
    /// only) and returns its slot, to dispose when it has authenticated or ended; or returns null
    /// and says why in <paramref name="refusal"/>.
    /// </summary>
    public StartupSlot? TryEnter(EndPoint? remote, out string refusal)
    {
        IPAddress? address = (remote as IPEndPoint)?.Address;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        if (address is not null && _penalties.Refusal(address) is { } left)
        {
            refusal = $"{address} is penalized for {Math.Ceiling(left.TotalSeconds):0} s more after connections that failed before authenticating";
            return null;
        }

        IPAddress? block = address is null ? null : NetBlock(address);
        lock (_gate)
        {
            int full = _options.MaxUnauthenticatedConnections;
            if (_total >= full)
            {
                refusal = $"{full} connections are already authenticating";
                return null;
            }

            if (address is not null && _options.MaxUnauthenticatedPerAddress > 0 && _perAddress.GetValueOrDefault(address) >= _options.MaxUnauthenticatedPerAddress)
            {
                refusal = $"{_options.MaxUnauthenticatedPerAddress} connections from {address} are already authenticating";
                return null;
            }

            if (block is not null && _options.MaxUnauthenticatedPerNetBlock > 0 && _perBlock.GetValueOrDefault(block) >= _options.MaxUnauthenticatedPerNetBlock)
            {
                refusal = $"{_options.MaxUnauthenticatedPerNetBlock} connections from {block}/{PrefixOf(block)} are already authenticating";
                return null;
            }

            int start = _options.RandomDropStart;
            if (_total >= start && start < full)
            {
                // The drop probability grows linearly from the rate at start to 100% at full.
                int rate = _options.RandomDropRate;
                int percent = rate + ((100 - rate) * (_total - start) / (full - start));
                if (_random(100) < percent)
                {
                    refusal = $"{_total} connections are authenticating (random early drop at {percent}%)";
                    return null;
                }
            }

            _total++;
            if (address is not null)
            {
                _perAddress[address] = _perAddress.GetValueOrDefault(address) + 1;
                _perBlock[block!] = _perBlock.GetValueOrDefault(block!) + 1;
            }
        }

        refusal = string.Empty;
        return new StartupSlot(this, address, block);
    }

    private void Release(IPAddress? address, IPAddress? block)
    {
        lock (_gate)
        {
            _total--;
            if (address is not null)
            {
                Decrement(_perAddress, address);
                Decrement(_perBlock, block!);
            }
        }
    }

    private static void Decrement(Dictionary<IPAddress, int> counts, IPAddress key)
    {
        int left = counts[key] - 1;
        if (left == 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = left;
        }
    }

    private int PrefixOf(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? _options.NetBlockPrefixIPv4 : _options.NetBlockPrefixIPv6;

    /// <summary>The address with every bit past the network block's prefix cleared.</summary>
    private IPAddress NetBlock(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        int prefix = PrefixOf(address);
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    /// <summary>
    /// An admitted connection's place: disposed when it has authenticated or ended. Before that,
    /// <see cref="Ended"/> tells how a failed one ended, for the source's penalty.
    /// </summary>
    internal sealed class StartupSlot(StartupLimiter owner, IPAddress? address, IPAddress? block) : IDisposable
    {
        private int _released;

        /// <summary>The connection ended before authenticating, this way: its source is penalized (see <see cref="SshSourcePenalties"/>). Returns false when the penalty table is full.</summary>
        public bool Ended(PreAuthEnd end) => address is null || owner._penalties.Add(address, end);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(address, block);
            }
        }
    }
}
