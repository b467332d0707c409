using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>Whom a probe refusal a host reports counts against. A refusal is the host's claim; it is counted against
/// the checker it names only when that checker is licensed and assigned to that check of that very host, and only for
/// a refusal the host gives after the checker's signature held. Anything else is logged as the host's claim and counts
/// against nobody.</summary>
public static class ProbeRefusalClaims
{
    /// <summary>Whether a host refuses for <paramref name="reason"/> only after the probe's signature recovered to the
    /// checker it names (<see cref="ProbeAdmission.Admit"/> comes first): a second start, a ping past the limit, other
    /// work than announced. Before that (a bad signature, a stale one, a probe of an unknown check) anyone could have sent
    /// the probe in the checker's name, so it proves nothing about the checker.</summary>
    public static bool FollowsSignature(ProbeRefusalReason reason) =>
        reason is ProbeRefusalReason.Replayed or ProbeRefusalReason.TooManyPings or ProbeRefusalReason.WrongWork;

    /// <summary>The checker a reported refusal counts against, or why it counts against nobody.</summary>
    /// <param name="reportingHost">The host whose authenticated stream reported it.</param>
    /// <param name="reason">The reason as reported (a <see cref="ProbeRefusalReason"/> name).</param>
    /// <param name="checker">The checker address as reported.</param>
    /// <param name="checkHost">The host the named check is of; null when no such check exists.</param>
    /// <param name="assigned">The check's assigned checkers.</param>
    /// <remarks>The licence is the caller's last test (a look-up), of a checker this names: see
    /// <see cref="Unlicensed"/>.</remarks>
    public static ProbeRefusalAttribution Attribute(string reportingHost, string? reason, string? checker, string? checkHost,
        IReadOnlyCollection<Address> assigned)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        if (checkHost is null)
            return Nobody("no such check");
        if (checkHost != reportingHost)
            return Nobody($"the check is of host {checkHost}, not of the host that reported it");
        // Names only: a number would parse as an enum value too.
        if (!Enum.TryParse<ProbeRefusalReason>(reason, ignoreCase: false, out var known) || !Enum.IsDefined(known) || reason!.Any(char.IsDigit))
            return Nobody($"reason '{reason}' is not a probe refusal reason");
        if (!Address.TryParse(checker, out var address, out _))
            return Nobody("the checker is not an address");
        if (!assigned.Contains(address))
            return Nobody($"{address} is not assigned to the check");
        if (!FollowsSignature(known))
            return Nobody($"a {known} refusal comes before the signature is verified: anyone could have sent it in {address}'s name");
        return new ProbeRefusalAttribution(address, known, "");
    }

    /// <summary>What a refusal <see cref="Attribute"/> counted against <paramref name="checker"/> becomes when the
    /// checker holds no active licence: the host's claim.</summary>
    public static ProbeRefusalAttribution Unlicensed(Address checker) => Nobody($"{checker} holds no checker licence");

    private static ProbeRefusalAttribution Nobody(string why) => new(null, null, why);
}
