using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;

namespace Rx.Ssh.Connection;

/// <summary>
/// Closes channels that carried nothing for their type's timeout (OpenSSH's <c>ChannelTimeout</c>):
/// a sweep every quarter of the shortest timeout (at least a second) looks at each open channel's
/// activity count (data either way and channel requests); a channel whose count has not moved for
/// its timeout is closed and logged. So a channel closes between its timeout and a quarter more
/// after its last activity. One sweep per connection, only when some timeout is set.
/// </summary>
internal sealed class ChannelTimeouts : IDisposable
{
    private readonly (string Pattern, TimeSpan Timeout)[] _rules;
    private readonly Func<SshChannel[]> _channels;
    private readonly IScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly Dictionary<SshChannel, (long Activity, DateTimeOffset Since)> _seen = [];
    private readonly IDisposable _sweep;

    private ChannelTimeouts((string, TimeSpan)[] rules, Func<SshChannel[]> channels, IScheduler scheduler, ILogger logger)
    {
        _rules = rules;
        _channels = channels;
        _scheduler = scheduler;
        _logger = logger;
        TimeSpan shortest = rules.Min(r => r.Item2);
        TimeSpan period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, shortest.Ticks / 4));
        _sweep = scheduler.SchedulePeriodic(period, Sweep);
    }

    /// <summary>
    /// Starts the sweep for <paramref name="timeouts"/> (channel type or wildcard pattern → idle
    /// time); null when none is set (null, empty, or only zero/infinite values).
    /// </summary>
    public static ChannelTimeouts? Start(IReadOnlyDictionary<string, TimeSpan>? timeouts, Func<SshChannel[]> channels, IScheduler scheduler, ILogger logger)
    {
        (string, TimeSpan)[] rules = Rules(timeouts);
        return rules.Length == 0 ? null : new ChannelTimeouts(rules, channels, scheduler, logger);
    }

    /// <summary>
    /// The rules in matching order: exact channel types first, then patterns (with <c>*</c> or
    /// <c>?</c>) longest first, so <c>forwarded-*</c> wins over <c>*</c>; zero and infinite values
    /// are no timeout.
    /// </summary>
    public static (string Pattern, TimeSpan Timeout)[] Rules(IReadOnlyDictionary<string, TimeSpan>? timeouts) =>
        (timeouts ?? new Dictionary<string, TimeSpan>())
            .Where(t => t.Value > TimeSpan.Zero && t.Value != Timeout.InfiniteTimeSpan)
            .OrderBy(t => t.Key.AsSpan().IndexOfAny('*', '?') >= 0)
            .ThenByDescending(t => t.Key.Length)
            .ThenBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (t.Key, t.Value))
            .ToArray();

    /// <summary>The idle timeout of a channel of <paramref name="channelType"/>; null for none.</summary>
    public static TimeSpan? For((string Pattern, TimeSpan Timeout)[] rules, string channelType)
    {
        foreach ((string pattern, TimeSpan timeout) in rules)
        {
            if (HostPattern.Matches(channelType, pattern, ignoreCase: false))
            {
                return timeout;
            }
        }

        return null;
    }

    public void Dispose()
    {
        _sweep.Dispose();
    }

    private void Sweep()
    {
        lock (_seen)
        {
            SweepLocked();
        }
    }

    private void SweepLocked()
    {
        DateTimeOffset now = _scheduler.Now;
        SshChannel[] open = _channels();
        var alive = new HashSet<SshChannel>(open);
        foreach (SshChannel gone in _seen.Keys.Where(c => !alive.Contains(c)).ToList())
        {
            _seen.Remove(gone);
        }

        foreach (SshChannel channel in open)
        {
            if (!channel.IsConfirmed || For(_rules, channel.ChannelType) is not TimeSpan timeout)
            {
                continue;
            }

            long activity = channel.Activity;
            if (!_seen.TryGetValue(channel, out (long Activity, DateTimeOffset Since) last) || last.Activity != activity)
            {
                _seen[channel] = (activity, now);
                continue;
            }

            if (now - last.Since >= timeout)
            {
                _seen.Remove(channel);
                _logger.LogInformation("Closing channel {Channel} ({Type}): nothing sent or received for {Seconds} s (channel timeout)", channel.LocalId, channel.ChannelType, (now - last.Since).TotalSeconds);
                IO.TaskFaults.Observe(channel.CloseAsync().AsTask());
            }
        }
    }
}
