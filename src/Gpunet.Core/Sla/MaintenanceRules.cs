using System.Globalization;
using Gpunet.Core.Hosts;

namespace Gpunet.Core.Sla;

/// <summary>The rules of maintenance windows: what a host's operator may declare, and which leases a declared window
/// keeps off the host.</summary>
/// <remarks>Windows are half-open, [from, to), UTC: one may end at the instant the next begins.</remarks>
public static class MaintenanceRules
{
    /// <summary>Every problem with declaring [<paramref name="from"/>, <paramref name="to"/>) for a host now in
    /// <paramref name="state"/> since <paramref name="stateSince"/>, with <paramref name="standing"/> its windows not
    /// yet over and not withdrawn; empty when it may be declared.</summary>
    /// <remarks>A host that is Suspect, Offline or Paused is in an outage whose end nobody knows: any window would
    /// overlap it, and a host cannot declare its way out of an outage already under way.</remarks>
    public static IReadOnlyList<MaintenanceFieldError> Problems(
        DateTimeOffset? from, DateTimeOffset? to, string? reason, DateTimeOffset now, MaintenancePolicy policy,
        HostState state, DateTimeOffset stateSince, IReadOnlyList<MaintenanceWindow> standing)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(standing);
        var errors = new List<MaintenanceFieldError>();
        if (from is not { } start)
            errors.Add(new("from", "required: when the window begins (ISO 8601, UTC)"));
        else if (start < now)
            errors.Add(new("from", $"{Time(start)} is in the past"));
        else if (start - now < policy.Notice)
            errors.Add(new("from", $"at least {DurationText.Format(policy.Notice)} notice is needed: {Time(start)} is {DurationText.Format(start - now)} away; the earliest is {Time(now + policy.Notice)}"));
        else if (start - now > policy.Horizon)
            errors.Add(new("from", $"at most {DurationText.Format(policy.Horizon)} ahead: the latest is {Time(now + policy.Horizon)}"));

        if (to is not { } end)
            errors.Add(new("to", "required: when the window ends (ISO 8601, UTC)"));
        else if (from is { } begin && end <= begin)
            errors.Add(new("to", $"{Time(end)} is not after from ({Time(begin)})"));
        else if (from is { } first && end - first > policy.MaxLength)
            errors.Add(new("to", $"a window is at most {DurationText.Format(policy.MaxLength)}; this one is {DurationText.Format(end - first)}"));

        if (reason is { Length: > MaintenancePolicy.MaxReasonLength })
            errors.Add(new("reason", $"at most {MaintenancePolicy.MaxReasonLength} characters"));

        if (state is HostState.Suspect or HostState.Offline or HostState.Paused)
        {
            errors.Add(new("from", $"the host is {state} since {Time(stateSince)}: a host cannot declare its way out of an outage already under way"));
        }
        else if (errors.Count == 0)
        {
            // Only a window that is otherwise well formed is weighed against the host's others.
            if (standing.Count >= policy.MaxStanding)
                errors.Add(new("from", $"the host already has {standing.Count} windows declared (at most {policy.MaxStanding}); withdraw one first"));
            else if (standing.FirstOrDefault(w => w.Overlaps(from!.Value, to!.Value)) is { } other)
                errors.Add(new("from", $"overlaps the host's window {other.Id} ({Time(other.From)} to {Time(other.To)})"));
        }

        return errors;
    }

    /// <summary>The first of <paramref name="windows"/> (ordered by start) that a lease placed at <paramref name="now"/>
    /// would run into, or null: one running for <paramref name="duration"/>, or with no end (null) for as far as
    /// <paramref name="lookahead"/> looks. A window already begun keeps every new lease off.</summary>
    public static MaintenanceWindow? Blocking(IReadOnlyList<MaintenanceWindow> windows, DateTimeOffset now, TimeSpan? duration, TimeSpan lookahead)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var reach = duration ?? lookahead;
        var end = reach >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + reach;
        foreach (var w in windows)
        {
            if (w.To > now && (w.From <= now || w.From < end))
                return w;
        }

        return null;
    }

    /// <summary>The refusal the matcher shows for a host kept free for <paramref name="window"/>.</summary>
    public static string Refusal(MaintenanceWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return $"maintenance from {Time(window.From)} to {Time(window.To)}";
    }

    /// <summary>A UTC time for people: <c>2026-12-07 02:00Z</c>, with seconds only where there are any.</summary>
    public static string Time(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return utc.ToString(utc.Second == 0 && utc.Millisecond == 0 ? "yyyy-MM-dd HH:mm'Z'" : "yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
