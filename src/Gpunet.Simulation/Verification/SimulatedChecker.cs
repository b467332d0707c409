using Gpunet.Core.Geography;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>One checker of the run: where it is, whether it is lazy (reports "pass" without checking), wary (lazy, but
/// fails the decoys it recognises) or failing (reports "fail" without checking), its outages, and the incorrect marks the
/// majority and the honeypots gave it.</summary>
internal sealed class SimulatedChecker(int index, Address address, LocationPoint at, CountryCode country, bool lazy, bool failing, Outages outages,
    bool wary = false)
{
    public int Index { get; } = index;

    public Address Address { get; } = address;

    public LocationPoint At { get; } = at;

    public CountryCode Country { get; } = country;

    /// <summary>Reports "pass" on every assignment without probing the host.</summary>
    public bool Lazy { get; } = lazy;

    /// <summary>Reports "fail" on every assignment without probing the host.</summary>
    public bool Failing { get; } = failing;

    /// <summary>Reports "fail" on the coordinator's decoy honeypots, which it tells from hosts, and "pass" on every other
    /// assignment without probing.</summary>
    public bool Wary { get; } = wary;

    /// <summary>Neither lazy, wary nor failing.</summary>
    public bool Honest => !Lazy && !Failing && !Wary;

    public Outages Outages { get; } = outages;

    /// <summary>Its reports on checks that passed, and its fails of hosts the others passed (<see cref="FailDissentPolicy"/>).</summary>
    public FailDissentHistory Dissents { get; } = new(FailDissentPolicy.Default);

    /// <summary>When <see cref="FailDissentPolicy"/> first held it back; null while it never has.</summary>
    public DateTimeOffset? HeldBackFrom { get; set; }

    /// <summary>The smallest round trip it has measured to each host within a day (its capacity checks' allowance).</summary>
    public RoundTripHistory RoundTrips { get; } = new(RoundTripHistory.DefaultWindow);

    /// <summary>When it was marked incorrect, oldest first.</summary>
    public List<DateTimeOffset> IncorrectMarks { get; } = [];

    /// <summary>How many of <see cref="IncorrectMarks"/> came from honeypots.</summary>
    public int HoneypotMarks { get; set; }

    /// <summary>The start of its first reward suspension (<see cref="MajorityPenaltyPolicy"/>); null while it has none.</summary>
    public DateTimeOffset? SuspendedFrom { get; set; }

    /// <summary>Marks it incorrect at <paramref name="at"/> and applies the penalty rule.</summary>
    public void MarkIncorrect(DateTimeOffset at, bool honeypot)
    {
        IncorrectMarks.Add(at);
        if (honeypot)
            HoneypotMarks++;
        if (SuspendedFrom is null && MajorityPenaltyPolicy.Default.Suspensions(IncorrectMarks) is [var first, ..])
            SuspendedFrom = first.From;
    }
}
