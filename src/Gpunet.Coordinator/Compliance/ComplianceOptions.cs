namespace Gpunet.Coordinator.Compliance;

/// <summary>KYC, locations and the compliance sweep. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class ComplianceOptions
{
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
}
