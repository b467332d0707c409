using System.Collections.Concurrent;
using Gpunet.Core.Verification;

namespace Gpunet.Coordinator.Verification;

/// <summary>Each checker's incorrect marks, and whether that suspends it now (<see cref="MajorityPenaltyPolicy"/>: 2 in a
/// week cost a month). A suspended checker earns nothing and is not assigned: left in the draw, two lazy checkers could
/// still outvote an honest one (the verification simulation showed every honest checker suspended within two days).</summary>
internal sealed class CheckerStandings
{
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _marks = new(StringComparer.Ordinal);

    /// <summary>The rule in force.</summary>
    public MajorityPenaltyPolicy Policy { get; } = MajorityPenaltyPolicy.Default;

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
}
