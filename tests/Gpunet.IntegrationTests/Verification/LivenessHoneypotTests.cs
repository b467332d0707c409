using System.Net.Http.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>A planted liveness honeypot, with real checker nodes: a host that never answers. Honest checkers ping it,
/// hear nothing and fail it, so they are right; a checker that passed it would be marked (the fake-checker tests show the
/// mark).</summary>
[LongRunning]
public sealed class LivenessHoneypotTests
{
    [Fact]
    public async Task PlantedLivenessHoneypot_HonestCheckerNodesPingItAndFailIt_AllRight()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            CheckerNodes.Configure(o);
            o.Verification.HoneypotShare = 1;
        });
        await using var checkers = await CheckerNodes.StartAsync(c);
        await using var host = TestAgent.Start(c.ApiUrl, "L4-24GB:1");
        await host.HostIdAsync();

        var planted = await Eventually.Async(
            async () => (await c.Admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks?kind=liveness&limit=500", TestCoordinator.Json))!
                .FirstOrDefault(x => x.Honeypot && x.Outcome != "pending"),
            x => x is not null, "a decided liveness honeypot", 60);

        Assert.Equal("failed", planted.Outcome);
        Assert.Equal("honeypot: every report failed the planted host", planted.Consequence);
        Assert.Equal(3, planted.Reports.Count);
        Assert.All(planted.Reports, r =>
        {
            Assert.False(r.Passed);
            Assert.True(r.Correct);
            Assert.Contains("unreachable", r.Reason, StringComparison.Ordinal);
        });
    }
}
