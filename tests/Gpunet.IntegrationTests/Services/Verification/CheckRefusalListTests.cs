using System.Net.Http.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Verification;

/// <summary>Refusals piled on one check (a checker's forged reports, a host's claims) do not grow its answer: the oldest
/// 50 are listed, the rest counted.</summary>
public sealed class CheckRefusalListTests
{
    [Fact]
    public async Task ACheckWithSixtyRefusals_ListsTheOldestFifty_CountsTheRest_OthersWhole()
    {
        await using var c = await CheckFlowTests.StartAsync();
        var at = c.Clock().GetUtcNow() - TimeSpan.FromHours(1);
        const string piled = "chk_0000000000000000000000aa", few = "chk_0000000000000000000000bb";
        await using (var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync())
        {
            foreach (var id in new[] { piled, few })
            {
                db.Checks.Add(new CheckRecord
                {
                    Id = id, HostId = "host-00000000abcd", HostOperator = "0x" + new string('1', 40), Kind = CheckKind.Liveness, IssuedAt = at,
                    Deadline = at, Checkers = "0x" + new string('2', 40), Outcome = CheckOutcomes.Passed, DecidedAt = at,
                });
            }

            for (var i = 0; i < 60; i++)
                db.CheckRefusals.Add(new CheckRefusalRecord { CheckId = piled, Checker = "0x" + new string('3', 40), Reason = $"refusal {i}", At = at.AddSeconds(i) });
            for (var i = 0; i < 3; i++)
                db.CheckRefusals.Add(new CheckRefusalRecord { CheckId = few, Checker = "0x" + new string('3', 40), Reason = $"refusal {i}", At = at.AddSeconds(i) });
            await db.SaveChangesAsync();
        }

        var one = (await c.Admin.GetFromJsonAsync<CheckView>($"/api/v1/checks/{piled}", TestCoordinator.Json))!;
        Assert.Equal(50, one.Refusals.Count);
        Assert.Equal("refusal 0", one.Refusals[0].Reason);
        Assert.Equal("refusal 49", one.Refusals[^1].Reason);
        Assert.Equal(10, one.RefusalsUnlisted);

        var listed = (await c.Admin.GetFromJsonAsync<List<CheckView>>("/api/v1/checks?host=host-00000000abcd", TestCoordinator.Json))!;
        Assert.Equal(50, listed.Single(x => x.Id == piled).Refusals.Count);
        var whole = listed.Single(x => x.Id == few);
        Assert.Equal(3, whole.Refusals.Count);
        Assert.Null(whole.RefusalsUnlisted);
    }
}
