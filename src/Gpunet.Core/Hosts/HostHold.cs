namespace Gpunet.Core.Hosts;

/// <summary>One held host's reason from every gate that holds it: compliance, a failed check, an identity conflict.</summary>
/// <remarks>Pure. Compliance's holds keep their text (<see cref="HostHealthPolicy.HoldPrefix"/>); a host held only by a
/// failed capacity check reads <see cref="NeutralPrefix"/>, since no compliance rule holds it.</remarks>
public static class HostHold
{
    /// <summary>How a hold starts when no compliance rule is among its reasons but a failed check is.</summary>
    public const string NeutralPrefix = "held: ";

    /// <summary>The hold's reason; null when nothing holds the host.</summary>
    /// <param name="complianceHold">Compliance's hold, already prefixed (<see cref="HostHealthPolicy.HoldPrefix"/>).</param>
    /// <param name="checkHold">A failed check's hold (the Verification module's), unprefixed.</param>
    /// <param name="identityHold">An identity conflict's hold (<see cref="IdentityHold.Of"/>), unprefixed.</param>
    public static string? Compose(string? complianceHold, string? checkHold, string? identityHold)
    {
        var others = checkHold is null ? identityHold : identityHold is null ? checkHold : checkHold + "; " + identityHold;
        return complianceHold is null && checkHold is not null
            ? NeutralPrefix + others
            : IdentityHold.Join(complianceHold, others);
    }

    /// <summary>Whether <paramref name="reason"/> is a hold's (either prefix).</summary>
    public static bool IsHold(string? reason) =>
        reason is not null && (reason.StartsWith(HostHealthPolicy.HoldPrefix, StringComparison.Ordinal)
            || reason.StartsWith(NeutralPrefix, StringComparison.Ordinal));

    /// <summary>A hold's reason without its prefix; any other text as it is.</summary>
    public static string Text(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return reason.StartsWith(HostHealthPolicy.HoldPrefix, StringComparison.Ordinal) ? reason[HostHealthPolicy.HoldPrefix.Length..]
            : reason.StartsWith(NeutralPrefix, StringComparison.Ordinal) ? reason[NeutralPrefix.Length..]
            : reason;
    }
}
