using System.Net;
using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>Hosts the operator plants as honeypots: registered hosts like any other, so a checker cannot tell them apart
/// by asking. A checker that passes one is marked; the check says it was planted only once the host is retired; only the
/// operator plants, lists and retires, and bad input changes nothing.</summary>
public sealed class PlantedHostTests
{
    [Fact]
    public async Task ACheckerPassingAPlantedHostsTrap_IsMarked_WhileTheCheckLooksLikeAnyOther_UntilTheHostIsRetired()
    {
        // Every check of the planted host a trap (the default makes one in ten), so that the first is one.
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.PlantedTrapShare = 1);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "planted", probeEndpoint: "http://127.0.0.1:9", honeypot: true);
        using (var plant = await c.Admin.PostAsJsonAsync("/api/v1/honeypots", new { hostId = host.HostId }))
            Assert.Equal(HttpStatusCode.Created, plant.StatusCode);
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        // The agent is told it is a trap; the first checker passes without pinging; the others hear nothing.
        var liveness = await CheckFlowTests.AssignedAsync(checkers, CheckKind.Liveness);
        Assert.True((await CheckFlowTests.ExpectedCheckAsync(host, liveness[checkers[0]].CheckId)).Trap);
        var lazy = checkers[0];
        Assert.All(liveness.Values, a => Assert.Equal(host.HostId, a.HostId));
        foreach (var (k, a) in liveness)
            Assert.True((await k.SendAsync(k.Report(a, passed: k == lazy, reason: k == lazy ? "ok" : "unreachable: no answer"))).Accepted);
        var id = liveness[lazy].CheckId;

        // The operator sees it whole: a planted host's check, the passer marked (an ordinary liveness dissent is not).
        var whole = await CheckFlowTests.CheckAsync(c, id);
        Assert.Equal(("failed", true), (whole.Outcome, whole.Honeypot));
        Assert.Equal([false, true, true], checkers.Select(k => whole.Reports.Single(r => r.Checker == k.Address).Correct));

        // A checker sees a host that failed, and the mark, in words that do not say it was planted; the host is listed.
        using var peeker = await c.CustomerAsync(checkers[1].Wallet, funds: 0);
        var seen = await peeker.GetFromJsonAsync<CheckView>($"/api/v1/checks/{id}", TestCoordinator.Json);
        Assert.Equal(("failed", false), (seen!.Outcome, seen.Honeypot));
        Assert.Contains($"{lazy.Address} passed a host that fails: marked incorrect", seen.Consequence, StringComparison.Ordinal);
        Assert.DoesNotContain("honeypot", seen.Consequence, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("planted", seen.Consequence, StringComparison.OrdinalIgnoreCase);
        using (var listed = await peeker.GetAsync($"/api/v1/hosts/{host.HostId}"))
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);

        // Retired: its checks from now on are ordinary, and this one is shown for what it was.
        using (var retire = await c.Admin.PostAsync($"/api/v1/honeypots/{host.HostId}/retire", null))
            Assert.Equal(HttpStatusCode.OK, retire.StatusCode);
        var after = await peeker.GetFromJsonAsync<CheckView>($"/api/v1/checks/{id}", TestCoordinator.Json);
        Assert.True(after!.Honeypot);
        var list = await c.Admin.GetFromJsonAsync<List<PlantedHostView>>("/api/v1/honeypots", TestCoordinator.Json);
        Assert.Equal([(host.HostId, "retired")], list!.Select(p => (p.HostId, p.State)));
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task APlantedHostsOtherChecks_AreOrdinary_ItsAgentIsNotToldOfATrap_AndADissentIsJudgedAsAnyOther()
    {
        await using var c = await CheckFlowTests.StartAsync(o => o.Verification.PlantedTrapShare = 0);
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "planted-quiet", probeEndpoint: "http://127.0.0.1:9", honeypot: true);
        (await c.Admin.PostAsJsonAsync("/api/v1/honeypots", new { hostId = host.HostId })).EnsureSuccessStatusCode();
        await clock.AdvanceAsync(2 * SteppedClock.Step);

        var liveness = await CheckFlowTests.AssignedAsync(checkers, CheckKind.Liveness);
        Assert.False((await CheckFlowTests.ExpectedCheckAsync(host, liveness[checkers[0]].CheckId)).Trap);
        foreach (var (k, a) in liveness)
            Assert.True((await k.SendAsync(k.Report(a, passed: k != checkers[0], reason: k != checkers[0] ? "ok" : "unreachable: no answer"))).Accepted);

        // An ordinary liveness check: passed by majority, the lone fail excused (neither right nor wrong), no honeypot.
        var decided = await CheckFlowTests.CheckAsync(c, liveness[checkers[0]].CheckId);
        Assert.Equal(("passed", false), (decided.Outcome, decided.Honeypot));
        Assert.Null(decided.Reports.Single(r => r.Checker == checkers[0].Address).Correct);
        foreach (var k in checkers)
            await k.DisposeAsync();
    }

    [Fact]
    public async Task OnlyTheOperator_PlantsListsAndRetires_BadOrUnknownHostsAreRefused_AndNothingChanges()
    {
        await using var c = await CheckFlowTests.StartAsync();
        await using var host = await FakeAgent.ConnectAsync(c, "maybe-planted", probeEndpoint: "http://127.0.0.1:9", honeypot: true);
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        using (var list = await customer.GetAsync("/api/v1/honeypots"))
            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using (var plant = await customer.PostAsJsonAsync("/api/v1/honeypots", new { hostId = host.HostId }))
            Assert.Equal(HttpStatusCode.Forbidden, plant.StatusCode);
        using (var anonymous = await c.Anonymous.PostAsJsonAsync("/api/v1/honeypots", new { hostId = host.HostId }))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        foreach (var (body, status) in new (object Body, HttpStatusCode Status)[]
                 {
                     (new { hostId = "host-xyz" }, HttpStatusCode.BadRequest), (new { }, HttpStatusCode.BadRequest),
                     (new { hostId = "host-000000000000" }, HttpStatusCode.NotFound),
                 })
        {
            using var refused = await c.Admin.PostAsJsonAsync("/api/v1/honeypots", body);
            Assert.Equal(status, refused.StatusCode);
            Assert.Contains(status == HttpStatusCode.NotFound ? "no registered host" : "hostId", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var notPlanted = await c.Admin.PostAsync($"/api/v1/honeypots/{host.HostId}/retire", null))
            Assert.Equal(HttpStatusCode.NotFound, notPlanted.StatusCode);
        using (var customerRetires = await customer.PostAsync($"/api/v1/honeypots/{host.HostId}/retire", null))
            Assert.Equal(HttpStatusCode.Forbidden, customerRetires.StatusCode);
        // A host whose agent does not heed traps cannot be planted: honest checkers would be marked for passing it.
        await using (var honest = await FakeAgent.ConnectAsync(c, "honest", probeEndpoint: "http://127.0.0.1:9"))
        {
            using var refused = await c.Admin.PostAsJsonAsync("/api/v1/honeypots", new { hostId = honest.HostId });
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("does not run with --honeypot", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty((await c.Admin.GetFromJsonAsync<List<PlantedHostView>>("/api/v1/honeypots", TestCoordinator.Json))!);

        // Planted once; planting it again changes nothing.
        using (var first = await c.Admin.PostAsJsonAsync("/api/v1/honeypots", new { hostId = host.HostId }))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var again = await c.Admin.PostAsJsonAsync("/api/v1/honeypots", new { hostId = host.HostId }))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var planted = await c.Admin.GetFromJsonAsync<List<PlantedHostView>>("/api/v1/honeypots", TestCoordinator.Json);
        Assert.Equal([(host.HostId, "active")], planted!.Select(p => (p.HostId, p.State)));
    }
}
