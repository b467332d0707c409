using System.Net;
using System.Net.Http.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Gpunet.IntegrationTests.Services.Ledger.Settlement;

namespace Gpunet.IntegrationTests.Services.Ledger;

/// <summary>Rewards follow verification, on the fake clock: where the network has checkers, a host earns capacity rewards
/// only for time a passed capacity check stands behind, and checkers are paid per correct report unless their rewards
/// are suspended. Checks and reports are stored as the verification module stores them, so each epoch's are exact; the
/// checker scheduler is off so that nothing else is checked.</summary>
public sealed class VerifiedRewardsTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static async Task<TestCoordinator> StartAsync(string provider) => await Settlement.StartAsync(
        db: await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()), configure: o => o.Verification.ChecksEnabled = false);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CapacityRewards_WhereCheckersAreLicensed_PayOnlyTimeAPassedCapacityCheckStandsBehind(string provider)
    {
        await using var c = await StartAsync(provider);
        using (var granted = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = Wallet.Create().Address.Value }))
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var (verified, verifiedOperator) = await StakedHostAsync(c, "verified");
        var (failed, failedOperator) = await StakedHostAsync(c, "fails-halfway");
        var (neverChecked, neverCheckedOperator) = await StakedHostAsync(c, "never-checked");
        await using var _ = verified;
        await using var __ = failed;
        await using var ___ = neverChecked;
        using var ____ = verifiedOperator;
        using var _____ = failedOperator;
        using var ______ = neverCheckedOperator;

        // Two hosts passed capacity an hour ago (one had failed before, and passed since); in the next whole epoch one of
        // them fails 5 s into its 10.
        var now = c.Clock().GetUtcNow();
        var start = EpochEnd(now);
        await SeedAsync(c,
            Check(verified.HostId, "capacity", "passed", now.AddHours(-1)), Check(failed.HostId, "capacity", "failed", now.AddHours(-2)),
            Check(failed.HostId, "capacity", "passed", now.AddHours(-1)), Check(failed.HostId, "capacity", "failed", start.AddSeconds(5)));
        HttpClient[] operators = [verifiedOperator, failedOperator, neverCheckedOperator];
        await SettleEpochAfterAsync(c, TimeSpan.Zero);
        var before = await EarnedAsync(operators);
        await SettleEpochAfterAsync(c, start - c.Clock().GetUtcNow());
        var after = await EarnedAsync(operators);
        var earned = after.Zip(before, (a, b) => a - b).ToArray();

        Assert.True(earned[0] > 0, "the verified host earned capacity rewards");
        Assert.Equal((0L, 0L), (before[2], after[2]));
        // Half the verified time of the other, so half its share (up to rounding of the split).
        Assert.InRange(earned[0] - (2 * earned[1]), -2, 2);
        // Capacity is all that anyone earned.
        Assert.Equal(earned[0] + earned[1], (await EpochsAsync(c)).Single(e => e.Start == start).Totals.CapacityRewards.BaseUnits);
        await AssertBalancedAsync(c);
    }

    // What each operator earned so far: each had 4,000 tokens left after staking 1,000.
    private static async Task<long[]> EarnedAsync(HttpClient[] operators)
    {
        var earned = new long[operators.Length];
        for (var i = 0; i < operators.Length; i++)
        {
            var wallet = await WalletAsync(operators[i]);
            earned[i] = (TokenAmount.Parse(wallet.Available) + TokenAmount.Parse(wallet.Vesting) - TokenAmount.FromTokens(4_000)).BaseUnits;
        }

        return earned;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CheckerRewards_ArePaidPerCorrectReport_AndNotWhileACheckerIsSuspended(string provider)
    {
        await using var c = await StartAsync(provider);
        var (twice, once, suspended) = (Wallet.Create(), Wallet.Create(), Wallet.Create());
        var now = c.Clock().GetUtcNow();
        var start = EpochEnd(now);

        // In the next epoch: a liveness check all three got right, and a honeypot that two of them rightly failed; the
        // third was marked incorrect twice this week (2 in a week cost a month), so it earns nothing for either.
        var live = Check("host-00000000000a", "liveness", "passed", start.AddSeconds(1));
        var honeypot = Check("host-00000000000b", "capacity", "failed", start.AddSeconds(2));
        honeypot.Honeypot = true;
        var missed1 = Check("host-00000000000c", "liveness", "passed", now.AddDays(-2));
        var missed2 = Check("host-00000000000c", "liveness", "passed", now.AddDays(-1));
        await SeedAsync(c, live, honeypot, missed1, missed2,
            Report(live, twice, true, true), Report(live, once, true, true), Report(live, suspended, true, true),
            Report(honeypot, twice, false, true), Report(honeypot, suspended, false, true),
            Report(missed1, suspended, false, false), Report(missed2, suspended, false, false));
        await SettleEpochAfterAsync(c, start - now);

        var paid = new List<TokenAmount>();
        foreach (var checker in new[] { twice, once, suspended })
        {
            using var http = await c.CustomerAsync(checker, funds: 0);
            paid.Add(TokenAmount.Parse((await WalletAsync(http)).Available));
        }

        Assert.True(paid[1] > TokenAmount.Zero, "a checker with one correct report is paid");
        Assert.InRange(paid[0].BaseUnits - (2 * paid[1].BaseUnits), -2, 2);
        Assert.Equal(TokenAmount.Zero, paid[2]);
        Assert.Equal(paid[0] + paid[1], Sum(await EpochsAsync(c), t => t.CheckerRewards));
        await AssertBalancedAsync(c);
    }

    private static int _checks;

    private static CheckRecord Check(string hostId, string kind, string outcome, DateTimeOffset decidedAt) => new()
    {
        Id = $"chk_{Interlocked.Increment(ref _checks):x24}", HostId = hostId, HostOperator = Wallet.Create().Address.Value, Kind = kind,
        IssuedAt = decidedAt.AddSeconds(-1), Deadline = decidedAt.AddSeconds(20), Checkers = "", Outcome = outcome, DecidedAt = decidedAt,
    };

    private static CheckReportRecord Report(CheckRecord check, Wallet checker, bool passed, bool correct) => new()
    {
        CheckId = check.Id, Checker = checker.Address.Value, Passed = passed, Signature = "0x00", SignedAt = check.IssuedAt,
        ReceivedAt = check.IssuedAt, Correct = correct,
    };

    private static async Task SeedAsync(TestCoordinator c, params object[] rows)
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        db.AddRange(rows);
        await db.SaveChangesAsync();
    }
}
