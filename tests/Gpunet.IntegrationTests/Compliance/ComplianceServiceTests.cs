using System.Net;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The compliance service driven directly through its ports (an in-memory store and audit trail) on a fake
/// clock: KYC expiry, host holds, location checks and other coordinators' changes, in milliseconds.</summary>
public sealed class ComplianceServiceTests : IAsyncDisposable
{
    private const string Operator = "0x00000000000000000000000000000000000000a1";
    private const string Customer = "0x00000000000000000000000000000000000000c1";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryComplianceStore _store = new();
    private readonly ComplianceOptions _options = new();
    private HostLocations? _locations;

    private async Task<ComplianceService> LoadedAsync()
    {
        var options = Options.Create(_options);
        var policy = new PolicyInForce(_store);
        _locations = new HostLocations(_store, policy, options, _time, NullLogger<HostLocations>.Instance);
        var service = new ComplianceService(policy, new KycStandings(_store, options, _time), _locations, new RoundTripFlags(), _store.Audit, options, _time);
        await service.LoadAsync(CancellationToken.None);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        if (_locations is not null)
            await _locations.DisposeAsync();
    }

    private static KycSubmissionRecord Approved(string id, string address, string country, DateTimeOffset expires) => new()
    {
        Id = id, Address = address, Kind = "person", Document = "{}", LegalName = "Ada Example", Country = country, State = nameof(KycState.Approved),
        SubmittedAt = Start.AddDays(-1), DecidedAt = Start.AddDays(-1), ExpiresAt = expires, Provider = "review-queue", Screening = "[]",
        ScreeningSummary = "clear", ListVersion = "sample",
    };

    private static HostEntry Host(string model, string country = "DE", string publicIp = "") => new(new HostRecord
    {
        Id = "host-1", Address = Operator, Fingerprint = "fp", Hostname = "rig", Country = country, PublicIp = publicIp, State = nameof(HostState.Ready),
        Gpus = [new GpuRecord { HostId = "host-1", Index = 0, Uuid = "GPU-1", Model = model }],
    });

    [Fact]
    public async Task KycOf_ApprovalPastItsValidity_ReadsExpired()
    {
        _store.Submissions.Add(Approved("kyc-1", Customer, "DE", Start.AddDays(30)));
        var compliance = await LoadedAsync();

        Assert.Equal(KycState.Approved, compliance.KycOf(Customer).State);
        _time.Advance(TimeSpan.FromDays(31));

        Assert.Equal(KycState.Expired, compliance.KycOf(Customer).State);
    }

    [Fact]
    public async Task HostHold_OperatorApprovalExpires_HoldsTheHostAtOnce()
    {
        _options.TrustDeclaredLocation = true;
        _store.Submissions.Add(Approved("kyc-1", Operator, "DE", Start.AddHours(1)));
        var compliance = await LoadedAsync();
        var host = Host("T4-16GB");

        Assert.Null(compliance.HostHold(host));
        _time.Advance(TimeSpan.FromHours(2));

        Assert.Equal($"{HostHealthPolicy.HoldPrefix}kyc-not-approved: the host operator's KYC is Expired, not Approved", compliance.HostHold(host));
    }

    [Fact]
    public async Task Locate_AddressInAnotherCountry_HoldsControlledGpusAndStoresTheCheckWithItsAuditEntry()
    {
        _store.Submissions.Add(Approved("kyc-1", Operator, "DE", Start.AddDays(365)));
        var compliance = await LoadedAsync();
        var host = Host("H100-SXM5-80GB", "DE");

        compliance.Locate(host, IPAddress.Parse("8.8.8.8"));

        Assert.Equal(nameof(LocationCheck.Mismatch), compliance.LocationOf("host-1")?.Check);
        Assert.Contains(ComplianceRules.LocationUnverified, compliance.HostHold(host), StringComparison.Ordinal);
        Assert.False(compliance.LocationConfirmed("host-1"));
        await _store.FirstSave.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("US", _store.Locations["host-1"].ResolvedCountry);
        var entry = Assert.Single(_store.Audit.Entries);
        Assert.Equal(("host-1", "location-check", "Mismatch: 8.8.8.8 is in US, but the host declared DE"),
            (entry.Draft.Subject, entry.Draft.Rule, entry.Draft.Outcome));
        Assert.Equal(compliance.Versions, entry.Versions);
    }

    [Fact]
    public async Task Locate_SameAddressAgain_StoresNothingNew()
    {
        var compliance = await LoadedAsync();
        var host = Host("T4-16GB", "US");
        compliance.Locate(host, IPAddress.Parse("8.8.8.8"));
        await _store.FirstSave.WaitAsync(TimeSpan.FromSeconds(30));
        var first = compliance.LocationOf("host-1");

        compliance.Locate(host, IPAddress.Parse("8.8.8.8"));

        Assert.Same(first, compliance.LocationOf("host-1"));
        Assert.True(compliance.LocationConfirmed("host-1"));
    }

    [Fact]
    public async Task Locate_ClearedHostWhoseAddressNowResolvesElsewhere_KeepsTheOfficersClearance()
    {
        // An officer cleared the host's address when the database placed it in FR; a newer database places it in US.
        _store.Submissions.Add(Approved("kyc-1", Operator, "DE", Start.AddDays(365)));
        _store.Locations["host-1"] = new HostLocationRecord
        {
            HostId = "host-1", Address = "8.8.8.8", Source = "connection", ResolvedCountry = "FR", DeclaredCountry = "DE", Check = nameof(LocationCheck.Mismatch),
            Detail = "8.8.8.8 is in FR, but the host declared DE", DatabaseVersion = "old", CheckedAt = Start.AddDays(-2),
            ClearedAt = Start.AddDays(-1), ClearedBy = "officer", ClearedReason = "colocation contract seen",
        };
        var compliance = await LoadedAsync();
        var host = Host("H100-SXM5-80GB", "DE");

        compliance.Locate(host, IPAddress.Parse("8.8.8.8"));

        var located = compliance.LocationOf("host-1");
        Assert.Equal(("US", "officer"), (located?.ResolvedCountry, located?.ClearedBy));
        Assert.Null(compliance.HostHold(host));
        Assert.Equal(LocationCheck.Cleared, ComplianceService.EffectiveCheck(located!));
    }

    [Fact]
    public async Task Locate_PrivateAddressOnANetworkThatDoesNotTrustDeclarations_HoldsControlledGpus()
    {
        _store.Submissions.Add(Approved("kyc-1", Operator, "DE", Start.AddDays(365)));
        var compliance = await LoadedAsync();
        var host = Host("H100-SXM5-80GB", "DE", publicIp: "8.8.8.8");

        compliance.Locate(host, IPAddress.Parse("10.1.2.3"));

        Assert.Equal(("none", nameof(LocationCheck.Unresolved)), (compliance.LocationOf("host-1")?.Source, compliance.LocationOf("host-1")?.Check));
        Assert.Contains(ComplianceRules.LocationUnverified, compliance.HostHold(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshIfChangedAsync_AnotherCoordinatorApprovedACustomer_ReadsTheApproval()
    {
        var compliance = await LoadedAsync();
        var before = compliance.Version;
        Assert.Equal(KycState.Unverified, compliance.KycOf(Customer).State);

        _store.Submissions.Add(Approved("kyc-7", Customer, "DE", Start.AddDays(365)));
        _store.Audit.AppendFromAnotherCoordinator(new AuditDraft("kyc-7", "kyc-decision", new { }, "approved", "officer"));
        await compliance.RefreshIfChangedAsync(CancellationToken.None);

        Assert.Equal(KycState.Approved, compliance.KycOf(Customer).State);
        Assert.True(compliance.Version > before);
    }

    [Fact]
    public async Task RefreshIfChangedAsync_AnotherCoordinatorAppliedAPolicy_PutsItInForce()
    {
        var compliance = await LoadedAsync();
        var stricter = CompliancePolicy.Default with
        {
            Version = "2099-01-01.1", BlockedHostJurisdictions = [.. CompliancePolicy.Default.BlockedHostJurisdictions, "DE"],
        };
        _store.Policies.Add(new CompliancePolicyRecord
        {
            Version = stricter.Version, Yaml = CompliancePolicyParser.ToYaml(stricter), AppliedAt = Start, AppliedBy = "officer",
        });
        _store.Audit.AppendFromAnotherCoordinator(new AuditDraft("policy", "policy-apply", new { }, "applied policy 2099-01-01.1", "officer"));

        await compliance.RefreshIfChangedAsync(CancellationToken.None);

        Assert.Equal("2099-01-01.1", compliance.Evaluator.Policy.Version);
        Assert.Contains(ComplianceRules.BlockedJurisdiction, compliance.HostHold(Host("T4-16GB", "DE")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_NoListImported_ScreensAgainstTheShippedSample()
    {
        var compliance = await LoadedAsync();

        Assert.NotEmpty(compliance.Screener.List.Entries);
        Assert.Null(compliance.ListRecord);
    }

    [Fact]
    public async Task OrderGateFor_UnverifiedCustomerAndTheOperator_OnlyTheCustomerIsRefused()
    {
        var compliance = await LoadedAsync();

        Assert.Equal([ComplianceRules.KycNotApproved], compliance.OrderGateFor(Customer, null).Refusal([])?.Rules);
        Assert.Null(compliance.OrderGateFor(Gpunet.Coordinator.Auth.GpunetClaims.AdminRole, null).Refusal([]));
        Assert.Equal([ComplianceRules.OutsideResidencyZone], compliance.OrderGateFor(Gpunet.Coordinator.Auth.GpunetClaims.AdminRole, "Mars").Refusal([])?.Rules);
    }

    [Fact]
    public async Task RecordAsync_Decision_IsStampedWithTheVersionsInForce()
    {
        var compliance = await LoadedAsync();

        await compliance.RecordAsync("0xabc", "order-gate", new { }, "refused: test", "0xabc", CancellationToken.None);

        var entry = Assert.Single(_store.Audit.Entries);
        Assert.Equal((compliance.Screener.List.Version, compliance.Evaluator.Policy.Version), entry.Versions);
    }
}
