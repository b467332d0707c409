using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Compliance;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services.Compliance;

/// <summary>Compliance that changes with time or policy, on the fake clock: an approval expires at the sweep that finds it
/// past its validity; an applied policy pauses a serving host and ends its lease, and lifting it restores the host.</summary>
public sealed class ComplianceSweepTests
{
    [Fact]
    public async Task Approval_PastItsValidity_ExpiresAtTheSweep_PausesTheHost_AndResubmittingStartsAgain()
    {
        await using var c = await ServiceCoordinator.StartAsync(o =>
        {
            o.Compliance.ApproveAllKyc = false;
            o.Compliance.KycValidity = TimeSpan.FromSeconds(20);
            // Swept every step: the approval expires at the step it reaches its validity.
            o.Compliance.ComplianceSweepInterval = SteppedClock.Step;
        });
        var clock = c.Clock();
        var operatorWallet = Wallet.Create();
        using var operatorClient = await c.CustomerAsync(operatorWallet, funds: 0);
        await Kyc.ApprovedAsync(c, operatorClient);
        await using var host = await c.ReadyHostAsync("kyc-expiry", operatorWallet);

        // Approved 2 steps ago (ReadyHostAsync): still valid one step before its 20 s are up, expired at them.
        await clock.AdvanceAsync(TimeSpan.FromSeconds(17));
        Assert.Equal("Ready", (await c.HostAsync(host.HostId))!.State);
        Assert.Equal("Approved", await Kyc.StateAsync(operatorClient));
        await clock.AdvanceAsync(SteppedClock.Step);

        var paused = (await c.HostAsync(host.HostId))!;
        Assert.Equal("Paused", paused.State);
        Assert.Contains("Expired", paused.StateReason, StringComparison.Ordinal);
        Assert.Equal("Expired", await Kyc.StateAsync(operatorClient));
        Assert.Contains(await Kyc.AuditAsync(c.Admin, host.HostId), e =>
            e.GetProperty("outcome").GetString()!.StartsWith("paused", StringComparison.Ordinal)
            || e.GetProperty("outcome").GetString()!.StartsWith("held", StringComparison.Ordinal));

        var again = await Kyc.SubmitAsync(operatorClient, Kyc.Person());
        Assert.Equal("Pending", again.GetProperty("state").GetString());
        await Kyc.DecideAsync(c.Admin, again.GetProperty("id").GetString()!, approve: true, "re-verified");
        // Ready at the round after a heartbeat later than the pause: the second step from here.
        await clock.AdvanceAsync(SteppedClock.Step);
        Assert.Equal("Paused", (await c.HostAsync(host.HostId))!.State);
        await clock.AdvanceAsync(SteppedClock.Step);
        Assert.Equal("Ready", (await c.HostAsync(host.HostId))!.State);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ApplyPolicy_BlockingAServingHostsCountry_PausesItEndsItsLease_AndLiftingItRestoresTheHost(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        await using var c = await ServiceCoordinator.StartAsync(dataDir: dir, db: await TestStores.NewStoreAsync(provider, dir));
        await using var host = await c.ReadyHostAsync("policy", country: "FR");
        var (customer, leaseId, _, _) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));
        using var _ = customer;

        using (var applied = await c.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml = ComplianceGateTests.PolicyWith("test.2", "FR") }))
        {
            var body = JsonDocument.Parse(await applied.Content.ReadAsStringAsync()).RootElement;
            Assert.True(applied.IsSuccessStatusCode, body.ToString());
            Assert.Contains(body.GetProperty("hostsPaused").EnumerateArray(), h => h.GetProperty("id").GetString() == host.HostId);
            Assert.Contains(body.GetProperty("leasesEnded").EnumerateArray(), l => l.GetProperty("id").GetString() == leaseId);
        }

        var paused = (await c.HostAsync(host.HostId))!;
        Assert.Equal("Paused", paused.State);
        Assert.Contains(ComplianceRules.BlockedJurisdiction, paused.StateReason, StringComparison.Ordinal);
        var lease = (await customer.LeaseAsync(leaseId))!;
        Assert.Equal("Failed", lease.State);
        Assert.Equal("compliance", lease.EndReason);
        Assert.Contains(ComplianceRules.BlockedJurisdiction, lease.StateReason, StringComparison.Ordinal);
        Assert.Equal(leaseId, (await host.NextCommandAsync()).StopLease?.LeaseId);

        using (var lifted = await c.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml = ComplianceGateTests.PolicyWith("test.3") }))
            Assert.True(lifted.IsSuccessStatusCode, await lifted.Content.ReadAsStringAsync());
        // Ready at the round after a heartbeat later than the pause: the second step from here.
        await c.Clock().AdvanceAsync(SteppedClock.Step);
        Assert.Equal("Paused", (await c.HostAsync(host.HostId))!.State);
        await c.Clock().AdvanceAsync(SteppedClock.Step);
        Assert.Equal("Ready", (await c.HostAsync(host.HostId))!.State);
        Assert.Equal("test.3", (await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/compliance/policy")).GetProperty("version").GetString());
    }

    public static TheoryData<string> Providers => TestStores.Providers;
}
