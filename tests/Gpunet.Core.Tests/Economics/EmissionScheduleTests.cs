using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Economics;

public sealed class EmissionScheduleTests
{
    private static readonly EmissionSchedule Schedule = new(new EconomicsOptions());

    private static long E(long epoch) => Schedule.For(epoch, Schedule.PoolAtGenesis).BaseUnits;

    [Fact]
    public void PoolAtGenesis_HalfTheSupply() =>
        Assert.Equal(TokenAmount.FromTokens(21_000_000_000), Schedule.PoolAtGenesis);

    [Fact]
    public void For_EpochZero_PoolTimesOneMinusDecay()
    {
        // d = 0.5^(1/1461) = 0.999525679…; E0 = 21e9 × (1 − d) ≈ 9,960,926 tokens a day.
        Assert.InRange(Schedule.Decay, 0.9995256m, 0.9995257m);
        Assert.InRange(E(0) / TokenAmount.BaseUnitsPerToken, 9_960_000, 9_962_000);
        Assert.Equal((long)decimal.Floor(Schedule.PoolAtGenesis.BaseUnits * (1 - Schedule.Decay)), E(0));
    }

    [Fact]
    public void For_OneHalfLifeLater_Half()
    {
        const int halfLife = 1461; // 4 × 365.25 daily epochs

        Assert.InRange(E(halfLife), (E(0) / 2) - 1, (E(0) / 2) + 1);
        Assert.InRange(E(2 * halfLife), (E(0) / 4) - 1, (E(0) / 4) + 1);
        Assert.InRange(E(halfLife + 100), (E(100) / 2) - 1, (E(100) / 2) + 1);
    }

    [Fact]
    public void For_SuccessiveEpochs_DecreasingByTheDecay()
    {
        for (var e = 1; e < 3000; e += 7)
        {
            Assert.True(E(e) < E(e - 1), $"epoch {e}");
            var ratio = (decimal)E(e) / E(e - 1);
            Assert.InRange(ratio, Schedule.Decay - 0.0000000001m, Schedule.Decay + 0.0000000001m);
        }
    }

    [Fact]
    public void For_EveryEpochForAHundredYears_NeverMoreThanThePool()
    {
        var pool = Schedule.PoolAtGenesis;
        long emitted = 0;
        for (var e = 0; e < 36_525; e++)
        {
            var scheduled = Schedule.For(e, Schedule.PoolAtGenesis);
            var paid = Schedule.For(e, pool);
            Assert.True(paid <= pool);
            emitted += scheduled.BaseUnits;
            pool -= paid;
        }

        // After 25 half-lives 2^-25 of the pool is left; the schedule sums to the pool, never beyond it.
        Assert.True(emitted <= Schedule.PoolAtGenesis.BaseUnits);
        Assert.InRange(pool.BaseUnits, 0, Schedule.PoolAtGenesis.BaseUnits / 1_000_000);
    }

    [Fact]
    public void For_PoolNearlyEmpty_OnlyWhatIsLeft() =>
        Assert.Equal(TokenAmount.FromTokens(5), Schedule.For(0, TokenAmount.FromTokens(5)));

    [Fact]
    public void For_FarFuture_Zero() => Assert.Equal(0, E(1461L * 200));

    [Fact]
    public void For_SameOptions_SameAmounts()
    {
        var again = new EmissionSchedule(new EconomicsOptions());

        Assert.Equal(Schedule.Decay, again.Decay);
        Assert.Equal(Schedule.For(12_345, Schedule.PoolAtGenesis), again.For(12_345, Schedule.PoolAtGenesis));
    }

    [Fact]
    public void For_WeeklyEpochs_SameHalving()
    {
        var weekly = new EmissionSchedule(new EconomicsOptions { EpochLength = TimeSpan.FromDays(7), EmissionHalfLife = TimeSpan.FromDays(70) });

        var e0 = weekly.For(0, weekly.PoolAtGenesis).BaseUnits;
        var e10 = weekly.For(10, weekly.PoolAtGenesis).BaseUnits;
        Assert.InRange(e10, (e0 / 2) - 1, (e0 / 2) + 1);
    }
}
