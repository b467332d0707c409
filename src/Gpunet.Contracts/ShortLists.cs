namespace Gpunet.Contracts;

/// <summary>The most items an answer's short lists hold, where what they list is bounded where it comes in (the shapes
/// state them as <c>[MaxLength]</c>, the OpenAPI document as <c>maxItems</c>).</summary>
public static class ShortLists
{
    /// <summary>GPUs of one host: the coordinator registers no host with more.</summary>
    public const int GpusPerHost = 16;

    /// <summary>Days of a month (an SLA report covers one).</summary>
    public const int DaysOfMonth = 31;

    /// <summary>Hosts a host operator's live stream follows (the console's page shows as many).</summary>
    public const int FollowedHosts = 50;

    /// <summary>Checkers of one check: a panel of 2N + 1, N at most 10.</summary>
    public const int CheckersPerCheck = 21;

    /// <summary>Countries a network's hosts can be in: ISO 3166-1 assigns 249 codes.</summary>
    public const int Countries = 250;

    /// <summary>GPU models of the catalog (a host's GPU must be one).</summary>
    public const int GpuModels = 256;

    /// <summary>Hosts over their SLO allowance an SLA summary names; the rest are counted.</summary>
    public const int WorstHosts = 20;

    /// <summary>The first <paramref name="most"/> of <paramref name="items"/>, and how many more there are (null when
    /// every one is listed).</summary>
    public static (IReadOnlyList<T> Listed, int? Unlisted) Cut<T>(IReadOnlyList<T> items, int most) => Page(items, 0, most);

    /// <summary>At most <paramref name="most"/> of <paramref name="items"/> from position <paramref name="from"/> (0 is the
    /// first), and how many come after them (null when none do): the page of a list that an answer lists in parts.</summary>
    public static (IReadOnlyList<T> Listed, int? Unlisted) Page<T>(IReadOnlyList<T> items, int from, int most)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        if (from == 0 && items.Count <= most)
            return (items, null);
        var listed = items.Skip(from).Take(most).ToList();
        var after = items.Count - from - listed.Count;
        return (listed, after > 0 ? after : null);
    }

    /// <summary>Hosts paused and leases ended that a policy's or sanctions list's answer lists, each; the rest are
    /// counted (the audit log names every one).</summary>
    public const int Enforced = 1_000;

    /// <summary>Downtime windows and credits an SLA report lists, each; the rest are counted, and read page by page
    /// (<c>windowsFrom</c>, <c>creditsFrom</c>).</summary>
    public const int ReportEntries = 1_000;

    /// <summary>Steps of a lease's history its answer lists, the latest; the earlier are counted (a lease that waits a
    /// month or moves host after host gathers many).</summary>
    public const int LeaseHistory = 200;

    /// <summary>Hosts a wallet's balance lists with their stakes; the rest are counted.</summary>
    public const int WalletHosts = 1_000;

    /// <summary>Steps of an SLA tier's credit schedule: the coordinator starts with no tier holding more.</summary>
    public const int CreditSteps = 16;

    /// <summary>Reasons a host is held by compliance: one per rule of the policy (five today).</summary>
    public const int ComplianceReasons = 16;

    /// <summary>Kinds of check (liveness, service, capacity: three today); a checker's fail dissents are counted per kind.</summary>
    public const int CheckKinds = 8;

    /// <summary>Refusals a check's answer lists, oldest first; the rest are counted.</summary>
    public const int RefusalsPerCheck = 50;

    /// <summary>Problems one refusal (or a policy's validation) lists; the rest are counted in <c>unlisted</c>.</summary>
    public const int Problems = 100;

    /// <summary>Entries of a wallet's unbonding and vesting schedules the balance lists (the rest are in the totals).</summary>
    public const int ScheduleEntries = 200;
}
