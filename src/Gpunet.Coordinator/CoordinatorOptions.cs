using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator;

/// <summary>Settings of one coordinator; bound from the <c>Coordinator</c> configuration section.</summary>
public sealed class CoordinatorOptions
{
    public const string Section = "Coordinator";

    /// <summary>SQLite file path, SQLite connection string, or PostgreSQL connection string. Default: <c>gpunet.db</c> in the data directory.</summary>
    public string? Database { get; set; }

    /// <summary>Where the coordinator keeps its files (SQLite database, token-protection keys). Default: <c>./gpunet-data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "gpunet-data";

    /// <summary>Names the network inside every signed message, so signatures cannot be replayed across networks.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,31}$", ErrorMessage = "NetworkId: lower-case letters, digits and '-', at most 32")]
    public string NetworkId { get; set; } = "gpunet-local";

    /// <summary>Operator token (<c>gpa_…</c>); generated and printed at start when not given.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The URL clients reach the REST API at (behind a proxy: its public address, e.g. <c>https://api.example.net</c>),
    /// named as the server in the OpenAPI document. Default: none; the document names the relative <c>/</c>, so a client
    /// uses the address it fetched the document from (never the request's Host header, which the client chooses).</summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>How often agents heartbeat. Default 10 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Missed heartbeats before a Ready host becomes Suspect. Default 3.</summary>
    [Range(1, 100)]
    public int SuspectAfterMissedHeartbeats { get; set; } = 3;

    /// <summary>Silence before a host is Offline. Default 60 s.</summary>
    public TimeSpan OfflineGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Offline transitions per second while the network looks healthy (token bucket). Default 1.</summary>
    [Range(0.0, 1e6)]
    public double OfflineTransitionsPerSecond { get; set; } = 1.0;

    /// <summary>How often the host monitor runs. Default 1 s.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often last-heard times are written to the store, in one batch. Default 5 s.</summary>
    public TimeSpan PersistHeardEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest REST request body accepted, bytes. Default 64 KiB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Concurrent HTTP/2 streams per connection; agents multiplex many streams over few connections. Default 50,000.</summary>
    [Range(100, 1_000_000)]
    public int MaxStreamsPerConnection { get; set; } = 50_000;

    /// <summary>Lifetime of a customer's bearer token. Default 15 min.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in challenge can be answered. Default 2 min.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How far a signer's timestamp may be from the coordinator's clock. Default 5 min.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in requests (challenge and token) one client IP may make per minute. Default 120.</summary>
    [Range(1, 1_000_000)]
    public int AuthRequestsPerMinute { get; set; } = 120;

    /// <summary>Reverse proxies (TLS terminators) whose <c>X-Forwarded-For</c> is believed, as addresses
    /// (<c>10.0.0.5</c>) or CIDR networks (<c>10.0.0.0/8</c>), so per-client limits and an agent's location see the
    /// real client. Default none: the connection's address is the client, whatever the header says.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Sign-in challenges open at once in each pool (customers' sign-ins, agents' handshakes: they do not
    /// share). Default 10,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxOpenChallenges { get; set; } = 10_000;

    /// <summary>Customer sign-in challenges one client (an IPv4 address or an IPv6 /64) may have open. Default 64.</summary>
    [Range(1, 1_000_000)]
    public int ChallengesPerClient { get; set; } = 64;

    /// <summary>Customer sign-in challenges open for one wallet address from one client; a new one replaces the oldest.
    /// Default 4.</summary>
    [Range(1, 1_000)]
    public int ChallengesPerAddress { get; set; } = 4;

    /// <summary>Agent handshakes one client (an IPv4 address or an IPv6 /64) may have in progress. Default 256: a farm's
    /// agents behind one address reconnect together after an outage.</summary>
    [Range(1, 1_000_000)]
    public int AgentHandshakesPerClient { get; set; } = 256;

    /// <summary>The SQLite default when <see cref="Database"/> is not set.</summary>
    /// <summary>How often the marketplace retries queued orders, expires leases and checks hosts. Default 250 ms.</summary>
    public TimeSpan MarketInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A placed lease whose agent has not reported it running by then fails with <c>start-timeout</c>. Default 5 minutes (a Docker image may need pulling).</summary>
    public TimeSpan LeaseStartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public string EffectiveDatabase => string.IsNullOrWhiteSpace(Database) ? Path.Combine(DataDirectory, "gpunet.db") : Database;

    /// <summary>Tokens the faucet gives a participant per request; 0 (the default) is no faucet. The devnet sets one.</summary>
    public decimal FaucetLimit { get; set; }

    /// <summary>Count participants who never submitted KYC as approved: for test networks only (the integration tests
    /// of other features). A participant's own submission, once made, always decides. Off by default.</summary>
    public bool ApproveAllKyc { get; set; }

    /// <summary>For agents that connect from a non-public address (this machine, a private network): locate the address
    /// they declare, or with none take their declared country, instead of holding their export-controlled GPUs as
    /// unresolved. An agent's declared address is its own word, so this is for test networks only (the devnet, tests);
    /// off by default. An address that resolves elsewhere is still a mismatch.</summary>
    public bool TrustDeclaredLocation { get; set; }

    /// <summary>Wallet addresses of compliance officers: they (and the operator's admin token) review KYC, apply the
    /// policy, import sanctions lists, clear host locations and read the audit log.</summary>
    public List<string> ComplianceOfficers { get; set; } = [];

    /// <summary>The IP-location database (MaxMind format). Default: the CC0 geo-whois-asn-country database the build
    /// fetches, beside the program.</summary>
    public string? GeoIpDatabase { get; set; }

    /// <summary>How long an approved KYC/KYB stays valid before re-verification. Default 365 days.</summary>
    public TimeSpan KycValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often compliance re-reads decisions made by other coordinators and re-evaluates every host and open
    /// lease (KYC expiry takes effect then). Default 30 s.</summary>
    public TimeSpan ComplianceSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An external KYC vendor's name (its webhooks arrive at <c>/api/v1/kyc/webhooks/{name}</c>); null: the
    /// embedded review queue, worked by compliance officers.</summary>
    public string? KycVendor { get; set; }

    /// <summary>Where submissions are sent to the vendor (POST, JSON, signed like its webhooks).</summary>
    public Uri? KycVendorUrl { get; set; }

    /// <summary>The HMAC secret shared with the vendor; signs what is sent and verifies its webhooks.</summary>
    public string? KycVendorSecret { get; set; }

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

    /// <summary>How long after a lease's end its last usage reports are still taken; settlement closes a lease's escrow
    /// (its last charge and refund) only once this has passed before the epoch's end. Default 10 minutes.</summary>
    public TimeSpan UsageLateness { get; set; } = TimeSpan.FromMinutes(10);

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
}
