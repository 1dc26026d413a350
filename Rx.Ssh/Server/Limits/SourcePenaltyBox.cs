using System.Net;
using System.Reactive.Concurrency;

namespace Rx.Ssh.Server.Limits;

/// <summary>
/// The penalties of <see cref="SshSourcePenalties"/>, per source address: added as connections end
/// badly, checked as they arrive, forgotten once run out. Bounded by
/// <see cref="SshSourcePenalties.MaxSources"/>. Thread-safe.
/// </summary>
internal sealed class SourcePenaltyBox(SshSourcePenalties settings, IScheduler clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, Penalty> _sources = [];

    /// <summary>Sources the table holds now (at most the settings' <c>MaxSources</c>; expired ones are dropped as they are met).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>When <paramref name="source"/> is refused now: how long it still is; else null.</summary>
    public TimeSpan? Refusal(IPAddress source)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        DateTimeOffset now = clock.Now;
        lock (_gate)
        {
            if (!_sources.TryGetValue(source, out Penalty penalty))
            {
                return null;
            }

            if (penalty.Until <= now)
            {
                _sources.Remove(source);
                return null;
            }

            return penalty.Active ? penalty.Until - now : null;
        }
    }

    /// <summary>Adds the penalty for <paramref name="end"/> to <paramref name="source"/>; false when the table is full (nothing recorded).</summary>
    public bool Add(IPAddress source, PreAuthEnd end)
    {
        TimeSpan amount = end switch
        {
            PreAuthEnd.AuthenticationFailure => settings.AuthenticationFailure,
            PreAuthEnd.NoAuthentication => settings.NoAuthentication,
            PreAuthEnd.GraceExceeded => settings.GraceExceeded,
            _ => TimeSpan.Zero,
        };
        if (!settings.Enabled || amount <= TimeSpan.Zero || IsExempt(source))
        {
            return true;
        }

        DateTimeOffset now = clock.Now;
        lock (_gate)
        {
            bool running = _sources.TryGetValue(source, out Penalty old) && old.Until > now;
            TimeSpan left = running ? old.Until - now : TimeSpan.Zero;
            if (left == TimeSpan.Zero && _sources.Count >= settings.MaxSources && !_sources.ContainsKey(source))
            {
                ForgetExpired(now);
                if (_sources.Count >= settings.MaxSources)
                {
                    return false;
                }
            }

            TimeSpan total = left + amount < settings.Maximum ? left + amount : settings.Maximum;
            _sources[source] = new Penalty(now + total, (running && old.Active) || total >= settings.Minimum);
            return true;
        }
    }

    private bool IsExempt(IPAddress source)
    {
        if (settings.ExemptLoopback && IPAddress.IsLoopback(source))
        {
            return true;
        }

        foreach (IPNetwork network in settings.Exempt)
        {
            if (network.Contains(source))
            {
                return true;
            }
        }

        return false;
    }

    private void ForgetExpired(DateTimeOffset now)
    {
        foreach (KeyValuePair<IPAddress, Penalty> entry in _sources.Where(e => e.Value.Until <= now).ToList())
        {
            _sources.Remove(entry.Key);
        }
    }

    /// <summary>A source's penalty: until when, and whether it has reached the minimum (refusing) during this run.</summary>
    private readonly record struct Penalty(DateTimeOffset Until, bool Active);
}
