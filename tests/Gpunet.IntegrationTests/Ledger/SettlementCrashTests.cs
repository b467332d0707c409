using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>A coordinator process killed in the middle of settling an epoch settles it once after a restart, with the
/// same result as a coordinator that was never killed.</summary>
[LongRunning]
public sealed class SettlementCrashTests
{
    private const int EpochSeconds = 4;

    [Fact]
    public async Task KilledDuringSettlement_TheEpochSettlesOnceAfterRestart_WithTheSameResult()
    {
        var dataDir = TestCoordinator.NewDataDir();
        var admin = "gpa_" + RandomNumberGenerator.GetHexString(32, lowercase: true);

        // 1. Activity in a few epochs, with settlement off: a staked host serves an on-demand lease.
        await using (var c = await TestCoordinator.StartAsync(dataDir, adminToken: admin, configure: o =>
        {
            o.Ledger.EpochLength = TimeSpan.FromSeconds(EpochSeconds);
            o.Ledger.SettleEpochs = false;
        }))
        {
            var (agent, host) = await StakedHostAsync(c);
            await using var _ = agent;
            using var __ = host;
            using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1_000);
            var order = await customer.RentAsync(MarketClient.Order("sleep 3"));
            await customer.WaitForStateAsync(order.LeaseId, "Succeeded", 60);
            await Eventually.Async(() => UsageRowsAsync(c.DataDir), n => n > 0, "usage rows", 10);

            // Let the epoch holding the last usage end while this coordinator still runs, so its inputs are complete.
            var boundary = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow.ToUnixTimeSeconds() / EpochSeconds + 1) * EpochSeconds);
            await Task.Delay(boundary - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        }

        var setupEnd = DateTimeOffset.UtcNow;
        var store = Path.Combine(dataDir, "gpunet.db");
        var referenceDir = TestCoordinator.NewDataDir();
        foreach (var file in Directory.GetFiles(dataDir))
            File.Copy(file, Path.Combine(referenceDir, Path.GetFileName(file)));

        // 2. A real coordinator process whose settlement store (a test-only decorator) kills it inside its first
        // settlement's transaction, after every write and before the commit.
        var crashed = await RunCoordinatorAsync(dataDir, admin, crash: true, until: null);
        Assert.Contains("SETTLEMENT-CRASH", crashed);
        Assert.Empty(await EpochsAsync(store));

        // 3. Restarted as `gpunet coordinator`, it settles every epoch that ended before the activity stopped.
        await RunCoordinatorAsync(dataDir, admin, crash: false, until: setupEnd);
        var afterCrash = await EpochsAsync(store);

        // The same store, copied before the crash, settled by a coordinator that is never killed.
        await using (var reference = await TestCoordinator.StartAsync(referenceDir, adminToken: admin, configure: o =>
        {
            o.Ledger.EpochLength = TimeSpan.FromSeconds(EpochSeconds);
            o.Ledger.SettlementDelay = TimeSpan.Zero;
            o.Metering.UsageLateness = new Gpunet.Coordinator.CoordinatorOptions().Metering.UsageLateness; // as the coordinator process has it
        }))
        {
            await Eventually.Async(async () => (List<EpochRecord>?)await EpochsAsync(Path.Combine(referenceDir, "gpunet.db")), e => Covered(e, setupEnd), "the reference to settle", 60);
        }

        var expected = await EpochsAsync(Path.Combine(referenceDir, "gpunet.db"));
        var compared = expected.Where(e => e.End <= setupEnd).ToList();
        Assert.NotEmpty(compared);
        Assert.Contains(compared, e => e.Totals.Contains("\"fees\":\"0\"", StringComparison.Ordinal) == false);
        foreach (var e in compared)
        {
            var got = Assert.Single(afterCrash, x => x.Epoch == e.Epoch);
            Assert.Equal(e.Totals, got.Totals);
            Assert.Equal(e.Transfers, got.Transfers);
            Assert.Equal(await SettlementTransfersAsync(Path.Combine(referenceDir, "gpunet.db"), e.Epoch), await SettlementTransfersAsync(store, e.Epoch));
        }
    }

    // A Ready one-H100 agent process reporting usage every 500 ms, its operator signed in with 5,000 tokens, 1,000 of
    // them (its requirement) staked.
    private static async Task<(TestAgent Agent, HttpClient Operator)> StakedHostAsync(TestCoordinator c)
    {
        var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:1", usageInterval: TimeSpan.FromMilliseconds(500));
        var hostId = await agent.HostIdAsync();
        await c.WaitForStateAsync(hostId, "Ready");
        var host = await c.CustomerAsync(agent.Wallet, funds: 5_000);
        using var stake = await host.PostAsJsonAsync("/api/v1/wallet/stake", new { amount = "1000", host = hostId });
        Assert.True(stake.IsSuccessStatusCode, await stake.Content.ReadAsStringAsync());
        return (agent, host);
    }

    private static bool Covered(List<EpochRecord> epochs, DateTimeOffset until) =>
        epochs.Count > 0 && epochs.Max(e => e.End) >= until;

    // Runs a coordinator process on the data directory: the test-only crashing host until it dies, or `gpunet
    // coordinator` until every epoch up to `until` is settled, then stops it. Returns its output.
    private static async Task<string> RunCoordinatorAsync(string dataDir, string admin, bool crash, DateTimeOffset? until)
    {
        var (api, agents) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var psi = GpunetProcess.StartInfo(TestCoordinator.NewDataDir(), null,
            "coordinator", "--data", dataDir, "--urls", $"http://127.0.0.1:{api}", "--agent-urls", $"http://127.0.0.1:{agents}",
            "--epoch", EpochSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--admin-token", admin, "--network", "test");
        if (crash)
        {
            // The same arguments to the crashing host (tests/Gpunet.SettlementCrashHost) instead of gpunet.
            psi.ArgumentList[0] = Path.Combine(AppContext.BaseDirectory, "Gpunet.SettlementCrashHost.dll");
            psi.ArgumentList.RemoveAt(1);
        }

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (crash)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await p.WaitForExitAsync(timeout.Token);
                Assert.NotEqual(0, p.ExitCode);
            }
            else
            {
                await Eventually.Async(async () => (List<EpochRecord>?)await EpochsAsync(Path.Combine(dataDir, "gpunet.db")), e => Covered(e, until!.Value), "the restarted coordinator to settle", 60);
            }
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }

        return await stdout + await stderr;
    }

    private static async Task<List<EpochRecord>> EpochsAsync(string path)
    {
        await using var db = await StoreConnection.Parse(path).CreateDbContextFactory().CreateDbContextAsync();
        return await db.Epochs.AsNoTracking().OrderBy(e => e.Epoch).ToListAsync();
    }

    private static async Task<int> UsageRowsAsync(string dataDir)
    {
        await using var db = await StoreConnection.Parse(Path.Combine(dataDir, "gpunet.db")).CreateDbContextFactory().CreateDbContextAsync();
        return await db.LeaseUsage.CountAsync();
    }

    // The epoch's settlement transfers (their ids carry the epoch), as id, accounts and amount.
    private static async Task<List<string>> SettlementTransfersAsync(string path, long epoch)
    {
        await using var db = await StoreConnection.Parse(path).CreateDbContextFactory().CreateDbContextAsync();
        var high = (long)(EpochSettlementPlanner.IdPrefix | (ulong)epoch);
        var rows = await db.LedgerTransfers.AsNoTracking().Where(t => t.IdHigh == high).OrderBy(t => t.IdLow).ToListAsync();
        var keys = await db.LedgerAccountKeys.AsNoTracking().ToDictionaryAsync(k => k.Id, k => k.Key);
        return [.. rows.Select(t => $"{t.IdLow:x}: {keys[t.DebitAccountId]} → {keys[t.CreditAccountId]} {t.Amount} ({t.Code})")];
    }
}
