using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Contracts.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Sla;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Sla;

/// <summary><c>GET /api/v1/sla/report</c> on the fake clock: who may read which report, what bad input gets, and a
/// report that carries the credits settlement paid.</summary>
public sealed class SlaReportApiTests
{
    [Fact]
    public async Task Report_OthersAndBadInput_RefusedNamingTheField()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var (_, owner, leaseId, host) = await LeaseAsync(c);
        using var other = await c.CustomerAsync(Wallet.Create());

        // Someone else's lease is unknown to the caller; a host's record is its operator's; a customer's is theirs.
        await AssertProblemAsync(other, $"?lease={leaseId}", HttpStatusCode.NotFound, null);
        await AssertProblemAsync(other, $"?lease=lease-000000000000", HttpStatusCode.NotFound, null);
        await AssertProblemAsync(other, $"?host={host.HostId}", HttpStatusCode.Forbidden, null);
        await AssertProblemAsync(other, $"?customer={owner.Address.Value}", HttpStatusCode.Forbidden, null);
        await AssertProblemAsync(owner.Http, $"?host={host.HostId}", HttpStatusCode.Forbidden, null);

        await AssertProblemAsync(owner.Http, $"?lease={leaseId}&host={host.HostId}", HttpStatusCode.BadRequest, "lease|host|customer");
        await AssertProblemAsync(owner.Http, "", HttpStatusCode.BadRequest, "lease|host|customer");
        await AssertProblemAsync(owner.Http, $"?lease={leaseId}&month=2026-13", HttpStatusCode.BadRequest, "month");
        await AssertProblemAsync(owner.Http, $"?lease={leaseId}&month=9998-01", HttpStatusCode.BadRequest, "month");
        await AssertProblemAsync(owner.Http, "?lease=lease-nope", HttpStatusCode.BadRequest, "lease");
        await AssertProblemAsync(owner.Http, "?host=nope", HttpStatusCode.BadRequest, "host");
        await AssertProblemAsync(owner.Http, "?customer=0x12", HttpStatusCode.BadRequest, "customer");
        using (var anonymous = await c.Anonymous.GetAsync($"/api/v1/sla/report?lease={leaseId}"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The refusals changed nothing: the owner still reads the report.
        Assert.Equal(leaseId, (await ReportAsync(owner.Http, $"?lease={leaseId}")).Id);
    }

    [Fact]
    public async Task Report_LeaseCustomerAndHost_CarryTheCreditsPaidAndTheHostSlo()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var operatorWallet = Wallet.Create();
        var (month, owner, leaseId, host) = await LeaseAsync(c, operatorWallet);
        await AddCreditAsync(c, leaseId, owner.Address.Value, host.HostId, month, 150_000_000);

        var lease = await ReportAsync(owner.Http, $"?lease={leaseId}&month={month}");
        Assert.Equal(("lease", month, "standard"), (lease.Subject, lease.Month, lease.Tier));
        Assert.Equal("1.5", lease.CreditedTotal);
        var credit = Assert.Single(lease.Credits);
        Assert.Equal((leaseId, "1.5", "availability 98.5 % below 99 %"), (credit.LeaseId, credit.Credited, credit.Reason));
        Assert.Equal(1.0, lease.Availability);
        Assert.Empty(lease.HostSlo);

        var mine = await ReportAsync(owner.Http, $"?customer={owner.Address.Value}");
        Assert.Equal(("customer", owner.Address.Value, "1.5"), (mine.Subject, mine.Id, mine.CreditedTotal));

        using var operatorHttp = await c.CustomerAsync(operatorWallet, funds: 0);
        var hostReport = await ReportAsync(operatorHttp, $"?host={host.HostId}");
        Assert.Equal(("host", "1.5"), (hostReport.Subject, hostReport.CreditedTotal));
        Assert.NotNull(hostReport.HostSloMet);
        Assert.Equal(hostReport.Daily.Count, hostReport.HostSlo.Count);
        // The network operator reads any report.
        Assert.Equal(leaseId, (await ReportAsync(c.Admin, $"?lease={leaseId}")).Id);
    }

    /// <summary>A customer's lease running on a ready host run by <paramref name="operatorWallet"/>.</summary>
    internal static async Task<(string Month, (Wallet Wallet, HttpClient Http, Address Address) Owner, string LeaseId, FakeAgent Host)> LeaseAsync(
        TestCoordinator c, Wallet? operatorWallet = null, Wallet? customer = null)
    {
        var host = await c.ReadyHostAsync("sla-report", operatorWallet);
        customer ??= Wallet.Create();
        var http = await c.CustomerAsync(customer);
        var placed = await http.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        Assert.True(placed.Placed(), placed.StateReason);
        await host.RunNextLeaseAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(5));
        return (SlaMonth.Of(c.Clock().GetUtcNow()).ToString(), (customer, http, customer.Address), placed.LeaseId, host);
    }

    /// <summary>A credit as epoch settlement writes it: <paramref name="baseUnits"/> paid to the lease's owner in epoch 7,
    /// at <paramref name="at"/> (default: now on the coordinator's fake clock).</summary>
    internal static async Task AddCreditAsync(TestCoordinator c, string leaseId, string customer, string hostId, string month, long baseUnits, DateTimeOffset? at = null)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        db.Set<SlaCreditRecord>().Add(new SlaCreditRecord
        {
            LeaseId = leaseId, Epoch = 7, Month = month, Customer = customer, HostId = hostId, Tier = "standard",
            ObligatedSeconds = 86_400, DowntimeSeconds = 1296, Availability = 0.985, FeesBaseUnits = 1_500_000_000,
            DueBaseUnits = baseUnits, CreditedBaseUnits = baseUnits, Reason = "availability 98.5 % below 99 %", At = at ?? c.Clock().GetUtcNow(),
        });
        await db.SaveChangesAsync();
    }

    private static async Task<SlaReportView> ReportAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync("/api/v1/sla/report" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<SlaReportView>(body, TestCoordinator.Json)!;
    }

    private static async Task AssertProblemAsync(HttpClient http, string query, HttpStatusCode status, string? field)
    {
        using var response = await http.GetAsync("/api/v1/sla/report" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{query}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
            Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }
}
