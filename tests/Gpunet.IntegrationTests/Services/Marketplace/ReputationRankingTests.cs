using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>The matcher ranks and bounds hosts by what the network has seen of them: reputation from the track record
/// (a failed capacity check), and the place checkers' round trips put a host at when they contradict its declared one.
/// Two otherwise equal hosts; the first registered is the one the matcher would take on a tie.</summary>
public sealed class ReputationRankingTests
{
    private static Task<TestCoordinator> StartAsync() => ServiceCoordinator.StartAsync(o => o.Market.TrackRecordInterval = SteppedClock.Step);

    [Fact]
    public async Task BestExperience_OneHostFailedACapacityCheck_PlacesTheOther_AndTheHostViewShowsBothReputations()
    {
        await using var c = await StartAsync();
        await using var deceiver = await c.ReadyHostAsync("rank-deceiver");
        await using var honest = await c.ReadyHostAsync("rank-honest");
        await using (var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync())
        {
            var now = c.Clock().GetUtcNow();
            db.Checks.Add(new CheckRecord
            {
                Id = "chk_" + new string('a', 24), HostId = deceiver.HostId, HostOperator = deceiver.Wallet.Address.Value, Kind = CheckKind.Capacity,
                IssuedAt = now, Deadline = now, Checkers = "", Outcome = "failed", DecidedAt = now,
            });
            await db.SaveChangesAsync();
        }

        // The next read of the track records takes it in.
        await c.Clock().AdvanceAsync(SteppedClock.Step);

        var failed = HostReputation.Of(new HostTrackRecord(0, 1, 0, 0, 0, 0));
        Assert.Equal(Math.Round(failed, 4), (await c.HostAsync(deceiver.HostId))!.Reputation);
        Assert.Equal(HostReputation.Prior, (await c.HostAsync(honest.HostId))!.Reputation);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, ranking = "best-experience", command = new[] { "sleep", "60" } });
        Assert.Equal(honest.HostId, Assert.Single(order.Leases).HostId);
    }

    [Fact]
    public async Task MaxLatency_RoundTripsPutTheHostInSydney_ItIsNotMatchedFromParis_AndTheHostViewShowsWhere()
    {
        await using var c = await StartAsync();
        // Both declare 0°, 0°: about 86 ms from Paris by the latency model.
        await using var far = await c.ReadyHostAsync("rank-far");
        await using var near = await c.ReadyHostAsync("rank-near");
        LocationPoint sydney = new(-33.87, 151.21);
        (double Lat, double Lon)[] checkers = [(-37.81, 144.96), (1.35, 103.82), (-36.85, 174.76), (35.68, 139.69)];
        c.App.Services.GetRequiredService<IRoundTripSink>().Measured(far.HostId, [.. checkers.Select((k, i) =>
        {
            var at = new LocationPoint(k.Lat, k.Lon);
            var checker = Address.Parse("0x" + new string((char)('1' + i), 40));
            return new LocationProbe(checker, at, Gpunet.Core.Marketplace.LatencyModel.EstimateRttMs(k.Lat, k.Lon, sydney.Latitude, sydney.Longitude));
        })]);
        await c.Clock().AdvanceAsync(SteppedClock.Step);

        var view = (await c.HostAsync(far.HostId))!;
        Assert.True(new LocationPoint(view.MeasuredLatitude!.Value, view.MeasuredLongitude!.Value).DistanceKm(sydney) < 100,
            $"measured at {view.MeasuredLatitude}, {view.MeasuredLongitude}");
        Assert.Null((await c.HostAsync(near.HostId))!.MeasuredLatitude);
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(new
        {
            gpu = new[] { "H100" }, count = 1, maxPrice = 3, ranking = "best-experience", maxLatencyMs = 100,
            latencyFrom = new { latitude = 48.86, longitude = 2.35 }, command = new[] { "sleep", "60" },
        });
        Assert.Equal(near.HostId, Assert.Single(order.Leases).HostId);
    }
}
