namespace Gpunet.Coordinator.Ledger;

/// <summary>The token economy: price, epochs and their settlement, stake, the faucet. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class LedgerOptions
{
    /// <summary>The fixed token price in USD that the default price feed quotes, locked into each order when it is
    /// placed. Default 0.10.</summary>
    public decimal UsdPerToken { get; set; } = 0.10m;

    /// <summary>Epoch length: fees are settled and rewards paid once per epoch, epochs counted from Unix time 0, so the
    /// default of one day settles at 00:00 UTC. The devnet uses a minute.</summary>
    public TimeSpan EpochLength { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long after an epoch's end its settlement waits, so usage reports received before the end are stored.</summary>
    public TimeSpan SettlementDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether this coordinator settles epochs. Several may (an epoch is settled once whoever does it); turn it
    /// off to leave settlement to others.</summary>
    public bool SettleEpochs { get; set; } = true;

    /// <summary>Match only hosts whose stake covers what their GPUs require (K(model) × coefficient each). On by
    /// default; the integration tests of other features turn it off.</summary>
    public bool RequireStake { get; set; } = true;

    /// <summary>Tokens the faucet gives a participant per request; 0 (the default) is no faucet. The devnet sets one.</summary>
    public decimal FaucetLimit { get; set; }

    /// <summary>How long each host's earnings per epoch (<c>GET /hosts/{id}/earnings</c>) are kept after the epoch ended;
    /// older rows are deleted after a settlement (the ledger's transfers keep what was paid). Default 400 days (a year and
    /// a month, for a yearly statement); at least 31 days.</summary>
    public TimeSpan HostEarningsRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>The least <see cref="HostEarningsRetention"/>: a month's SLA summary and the console's chart read whole.</summary>
    public static readonly TimeSpan MinHostEarningsRetention = TimeSpan.FromDays(31);
}
