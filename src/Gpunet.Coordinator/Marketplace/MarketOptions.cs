using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>How the marketplace places and limits orders. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class MarketOptions
{
    /// <summary>How often the marketplace retries queued orders, expires leases and checks hosts. Default 250 ms.</summary>
    public TimeSpan MarketInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a coordinator reads the changes other coordinators of its store made (placements, releases,
    /// ended leases, stake): how long a release on one takes to free the GPUs on another. The scan runs on a market tick,
    /// so at most once per <see cref="MarketInterval"/>. Default 2 s.</summary>
    public TimeSpan ForeignChangeScanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the scan of other coordinators' changes reads every host's capacity row whole, not only its
    /// version, and makes the matcher's free capacity what the store holds wherever the two differ at the same version
    /// (which no known path leaves; each such host is logged as event 4045): a bound on how long capacity could stay
    /// wrongly taken or free if one did. Default 10 minutes.</summary>
    public TimeSpan CapacityReconcileInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a host's agent stream may stay closed (the agent process or its machine gone) before its
    /// restartable leases move to another host, without waiting for the offline grace; the host is not marked Offline or
    /// slashed for it by itself. An agent that reconnects sooner (a network blip, its backoff is at most a heartbeat
    /// interval) keeps its leases. Default 10 s.</summary>
    public TimeSpan StreamLossFailoverAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A placed lease whose agent has not reported it running by then fails with <c>start-timeout</c>. Default 5 minutes (a Docker image may need pulling).</summary>
    public TimeSpan LeaseStartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Leases one customer may have waiting in the queue (pending, not yet placed), over all their orders; an
    /// order that would take them past it is refused (429). The operator's own orders do not count. Default 20.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedLeasesPerCustomer { get; set; } = 20;

    /// <summary>The least an order holds from its customer's balance per lease, in tokens, when its first period (or
    /// its reserve term) at the max price comes to less: queueing costs real balance however low the price. Returned
    /// in full when a lease ends without being placed; otherwise settled like any hold. Default 10.</summary>
    [Range(0.0, 1_000_000.0)]
    public decimal MinimumLeaseHold { get; set; } = 10m;

    /// <summary>Follow streams (<c>GET /leases/{id}/logs?follow=true</c>) one customer may have open at once on this
    /// coordinator; one more is refused (429). The operator is not limited. Default 8.</summary>
    [Range(1, 100_000)]
    public int MaxLogFollowsPerCustomer { get; set; } = 8;

    /// <summary>How often hosts' track records (checks, uptime, leases) are read again into their reputations, which
    /// the <c>best-experience</c> and <c>balanced</c> rankings use. Default 1 minute: liveness is checked once a minute.</summary>
    public TimeSpan TrackRecordInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far back a host's track record reaches. Default 30 days: the SLO's monthly uptime.</summary>
    public TimeSpan TrackRecordWindow { get; set; } = TimeSpan.FromDays(30);
}
