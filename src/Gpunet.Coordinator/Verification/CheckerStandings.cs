using System.Collections.Concurrent;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>Each checker's incorrect marks, and whether that suspends it now (<see cref="MajorityPenaltyPolicy"/>: 2 in a
/// week cost a month); and its fails of hosts the others passed, and whether they hold it back now
/// (<see cref="FailDissentPolicy"/>). A suspended checker earns nothing and is not assigned: left in the draw, two lazy
/// checkers could still outvote an honest one (the verification simulation showed every honest checker suspended within
/// two days).</summary>
/// <remarks>This coordinator's decisions only (and what it read back at start): with several coordinators, each counts
/// the checks it decided.</remarks>
internal sealed class CheckerStandings(IOptions<VerificationOptions> options)
{
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _marks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FailDissentHistory> _dissents = new(StringComparer.Ordinal);

    /// <summary>The rule in force.</summary>
    public MajorityPenaltyPolicy Policy { get; } = MajorityPenaltyPolicy.Default;

    /// <summary>The fail-dissent rule in force: the options' operators and share, over the penalty's week.</summary>
    public FailDissentPolicy DissentPolicy { get; } = new(options.Value.FailDissentOperators, options.Value.FailDissentShare,
        MajorityPenaltyPolicy.Default.Window);

    /// <summary>Records an incorrect mark of <paramref name="checker"/> at <paramref name="at"/>.</summary>
    public void Incorrect(string checker, DateTimeOffset at)
    {
        var marks = _marks.GetOrAdd(checker, _ => []);
        lock (marks)
            marks.Add(at);
    }

    /// <summary>Whether <paramref name="checker"/>'s rewards and assignments are suspended at <paramref name="now"/>.</summary>
    public bool Suspended(string checker, DateTimeOffset now)
    {
        if (!_marks.TryGetValue(checker, out var marks))
            return false;
        lock (marks)
            return !Policy.EarnsRewardsAt(marks, now);
    }

    /// <summary>Incorrect marks of <paramref name="checker"/> within the penalty's window up to <paramref name="now"/>.</summary>
    public int IncorrectThisWeek(string checker, DateTimeOffset now)
    {
        if (!_marks.TryGetValue(checker, out var marks))
            return 0;
        lock (marks)
            return marks.Count(m => m > now - Policy.Window && m <= now);
    }

    /// <summary>The fail-dissent history of <paramref name="checker"/> (lowercase address).</summary>
    public FailDissentHistory Dissents(string checker) => _dissents.GetOrAdd(checker, _ => new FailDissentHistory(DissentPolicy));

    /// <summary>The standings of <paramref name="checker"/> on each kind it has reports of at <paramref name="now"/>; none
    /// when it has no history.</summary>
    public IReadOnlyList<FailDissentStanding> DissentStandings(string checker, DateTimeOffset now) =>
        _dissents.TryGetValue(checker, out var history) ? history.Standings(now) : [];

    /// <summary>The checkers of <paramref name="panel"/> held back on <paramref name="kind"/> at <paramref name="now"/>.</summary>
    public IReadOnlySet<Address> HeldBack(string kind, IEnumerable<Address> panel, DateTimeOffset now) =>
        panel.Where(c => _dissents.TryGetValue(c.Value, out var h) && h.Standing(kind, now).HeldBack).ToHashSet();
}
