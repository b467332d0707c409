namespace Gpunet.Simulation.Verification;

/// <summary>When one host or checker is down: intervals of whole minutes, drawn at the start of the run (exponential
/// gaps and lengths), asked in rising minute order.</summary>
internal sealed class Outages
{
    private readonly List<(int From, int Until)> _spells = [];
    private int _cursor;

    private Outages()
    {
    }

    /// <summary>Never down.</summary>
    public static Outages None => new();

    public Outages(SimRandom random, int totalMinutes, double meanMinutesBetween, double meanMinutesLong)
    {
        var t = random.Exponential((long)meanMinutesBetween);
        while (t < totalMinutes)
        {
            var length = random.Exponential((long)Math.Max(1, meanMinutesLong));
            _spells.Add(((int)t, (int)Math.Min(totalMinutes, t + length)));
            t += length + random.Exponential((long)meanMinutesBetween);
        }
    }

    /// <summary>Makes it down for the whole run (a honeypot that never answers).</summary>
    public void Forever()
    {
        _spells.Clear();
        _spells.Add((0, int.MaxValue));
    }

    /// <summary>Minutes down in the whole run.</summary>
    public long MinutesDown => _spells.Sum(s => (long)(s.Until - s.From));

    /// <summary>Whether it is down at <paramref name="minute"/>; minutes must not go back between calls.</summary>
    public bool IsDown(int minute)
    {
        while (_cursor < _spells.Count && _spells[_cursor].Until <= minute)
            _cursor++;
        return _cursor < _spells.Count && _spells[_cursor].From <= minute;
    }

    /// <summary>Whether any outage overlaps [<paramref name="from"/>, <paramref name="until"/>), at any time.</summary>
    public bool Overlaps(int from, int until) => _spells.Exists(s => s.From < until && from < s.Until);
}
