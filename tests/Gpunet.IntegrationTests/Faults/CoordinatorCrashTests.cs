using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Faults;

/// <summary>A coordinator process killed (SIGKILL) inside a placement's commit or inside a policy's re-evaluation loses
/// nothing and does nothing twice once it is restarted on the same store: the order is placed once, on GPUs nobody
/// else holds, with its customer's hold matching it; the applied policy is in force and every lease it forbids is
/// ended once, each decision in the audit log once.</summary>
[LongRunning]
public sealed class CoordinatorCrashTests
{
    private const string Admin = "gpa_test_fault_crash_0123456789abcdef";

    public static TheoryData<string> Providers => TestStores.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task KilledInsideAPlacementCommit_TheOrderIsPlacedOnceAfterRestart_NoGpuTwice_HoldMatches(string provider)
    {
        var dataDir = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, dataDir);
        await using var crashing = await CoordinatorProcess.StartCrashingAsync("placement", dataDir, db, Admin);
        await using var agent = TestAgent.Start(crashing.Urls, "H100-SXM5-80GB:1");
        var host = await agent.HostIdAsync();
        await Eventually.Async(() => crashing.HostAsync(host), h => h.State == "Ready", "the host to be Ready");
        var wallet = Wallet.Create();
        using (var customer = await TestCoordinator.CustomerAsync(crashing.Urls, crashing.Admin, wallet, funds: 10_000))
        {
            // The order is accepted (stored with its hold) and placed: the capacity commit goes through, and the process
            // dies inside the transaction that moves the lease to Starting, so the customer never hears back.
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => customer.PostAsJsonAsync("/api/v1/orders", MarketClient.Order("sleep 600")));
        }

        Assert.Contains("PLACEMENT-CRASH", await crashing.DiedAsync());

        await using var c = await TestCoordinator.StartAsync(dataDir, db, crashing.Urls, crashing.AgentUrls, adminToken: Admin);
        using var again = await c.CustomerAsync(wallet, funds: 0);
        var lease = Assert.Single(await again.LeasesAsync());
        var running = await again.WaitForStateAsync(lease.Id, "Running");
        Assert.Equal((host, 1), (running.HostId, running.Attempt));

        // One allocation holds the host's one GPU: a second order waits rather than being given it too.
        Assert.Equal([running.Id + ".1"], (await AllocationsAsync(c)).Select(a => a.Id));
        var second = await again.RentAsync(MarketClient.Order("sleep 600"));
        Assert.Equal("Pending", second.State);

        // The ledger balances, and what the customer has held is exactly the two leases' holds.
        var ledger = await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify", TestCoordinator.Json);
        Assert.True(ledger.GetProperty("balanced").GetBoolean(), ledger.ToString());
        var holds = await HoldsAsync(c, wallet.Address.Value);
        Assert.Equal(2, holds.Count);
        Assert.All(holds, h => Assert.True(h > 0));
        var held = (await again.GetFromJsonAsync<WalletView>("/api/v1/wallet", TestCoordinator.Json))!.Held;
        Assert.Equal(TokenAmount.FromBaseUnits(holds.Sum()).ToString(), held);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task KilledInsideAPolicyReevaluation_TheAppliedPolicyIsInForce_EachForbiddenLeaseEndsOnce_AuditVerifies(string provider)
    {
        var dataDir = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, dataDir);
        await using var crashing = await CoordinatorProcess.StartCrashingAsync("policy", dataDir, db, Admin);
        await using var blocked = TestAgent.Start(crashing.Urls, "H100-SXM5-80GB:2", country: "PT", region: "Lisbon");
        var blockedHost = await blocked.HostIdAsync();
        await Eventually.Async(() => crashing.HostAsync(blockedHost), h => h.State == "Ready", "the Portuguese host to be Ready");
        var wallet = Wallet.Create();
        string[] forbidden;
        string allowed;
        using (var customer = await TestCoordinator.CustomerAsync(crashing.Urls, crashing.Admin, wallet, funds: 10_000))
        {
            forbidden = [(await customer.RentAsync(MarketClient.Order("sleep 600"))).LeaseId, (await customer.RentAsync(MarketClient.Order("sleep 600"))).LeaseId];
            await using var other = TestAgent.Start(crashing.Urls, "H100-SXM5-80GB:1", country: "DE");
            var otherHost = await other.HostIdAsync();
            await Eventually.Async(() => crashing.HostAsync(otherHost), h => h.State == "Ready", "the German host to be Ready");
            allowed = (await customer.RentAsync(MarketClient.Order("sleep 600"))).LeaseId;
            foreach (var id in forbidden.Append(allowed))
                await customer.WaitForStateAsync(id, "Running");

            // Hosts in Portugal are blocked from now on: the re-evaluation pauses the host and ends its two leases, and
            // the process dies inside the second end's transaction (the first is committed).
            var yaml = CompliancePolicyParser.ToYaml(CompliancePolicy.Default with
            {
                Version = "fault.2",
                BlockedHostJurisdictions = [.. CompliancePolicy.Default.BlockedHostJurisdictions, "PT"],
            });
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => crashing.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml }));
            Assert.Contains("POLICY-CRASH", await crashing.DiedAsync());

            await using var c = await TestCoordinator.StartAsync(dataDir, db, crashing.Urls, crashing.AgentUrls, adminToken: Admin);
            using var again = await c.CustomerAsync(wallet, funds: 0);
            var policy = await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/compliance/policy", TestCoordinator.Json);
            Assert.Equal("fault.2", policy.GetProperty("version").GetString());
            foreach (var id in forbidden)
            {
                var ended = await again.WaitForLeaseAsync(id, l => l.EndReason is not null, "to end");
                Assert.Equal("compliance", ended.EndReason);
                Assert.Contains(blockedHost, ended.StateReason, StringComparison.Ordinal);
            }

            await c.WaitForStateAsync(blockedHost, "Paused");
            Assert.Equal("Running", (await again.LeaseAsync(allowed))!.State);

            // Each decision is in the audit log once, and the chain verifies.
            var audit = await c.Admin.GetFromJsonAsync<List<AuditEntryView>>("/api/v1/audit?limit=1000", TestCoordinator.Json);
            Assert.Single(audit!, e => e.Rule == "policy-apply" && e.PolicyVersion == "fault.2");
            foreach (var id in forbidden)
                Assert.Single(audit!, e => e.Subject == id && e.Outcome.StartsWith("ended:", StringComparison.Ordinal));
            Assert.Single(audit!, e => e.Subject == blockedHost && e.Outcome.StartsWith("paused:", StringComparison.Ordinal));
            Assert.DoesNotContain(audit!, e => e.Subject == allowed);
            var verify = await c.Admin.GetFromJsonAsync<AuditVerifyView>("/api/v1/audit/verify", TestCoordinator.Json);
            Assert.True(verify!.Valid, verify.Problem);
        }
    }

    private static async Task<List<AllocationRecord>> AllocationsAsync(TestCoordinator c)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        return await db.Allocations.AsNoTracking().ToListAsync();
    }

    // The holds of the customer's leases whose billing is open, in base units.
    private static async Task<List<long>> HoldsAsync(TestCoordinator c, string customer)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        return await db.LeaseBilling.AsNoTracking().Where(b => b.Customer == customer && b.ClosedEpoch == null).Select(b => b.HoldAmount).ToListAsync();
    }
}
