using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Gpunet.Contracts.Network;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Gpunet.IntegrationTests.Faults;

/// <summary>Three real <c>gpunet coordinator</c> processes over one store, two agents that know all three, two leases
/// running real workloads: the leader is killed (SIGKILL), then every coordinator is restarted in turn. The leases run
/// on, on their first hosts, from start to end; no host is marked down; the leader moves within seconds and every epoch
/// settles once; every millisecond of usage is billed at most once and the outages cost at most seconds of it; the
/// ledger balances.</summary>
[LongRunning]
public sealed class CoordinatorFleetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly TimeSpan Epoch = TimeSpan.FromSeconds(5);

    /// <summary>What every coordinator of the network is given: the test's participants pass the gates (no KYC, no
    /// stake, declared locations), the leader lease is short, epochs settle a second after they end.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["ApproveAllKyc"] = "true",
        ["TrustDeclaredLocation"] = "true",
        ["RequireStake"] = "false",
        ["LeaderLease"] = "00:00:03",
        ["LeaderRenewInterval"] = "00:00:01",
        ["SettlementDelay"] = "00:00:01",
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LeaderKilledWhileLeasesRun_ThenEveryCoordinatorRestartedInTurn_NothingLost_NothingBilledTwice(string provider)
    {
        await using var fleet = await Fleet.StartAsync(provider, 3);
        var (a, b, c) = (0, 1, 2);

        // Two one-GPU hosts, on A first, each knowing the other two coordinators; both leases ordered through B.
        await using var first = TestAgent.Start(fleet.Url(a), "H100-SXM5-80GB:1", usageInterval: TimeSpan.FromSeconds(1),
            failover: [fleet.Url(b), fleet.Url(c)]);
        await using var second = TestAgent.Start(fleet.Url(a), "H100-SXM5-80GB:1", usageInterval: TimeSpan.FromSeconds(1),
            failover: [fleet.Url(c), fleet.Url(b)]);
        string[] hosts = [await first.HostIdAsync(), await second.HostIdAsync()];
        foreach (var host in hosts)
            await Eventually.Async(() => fleet.Coordinator(b).HostAsync(host), h => h.State == "Ready", $"host {host} to be Ready through B", 60);
        using var customer = await TestCoordinator.CustomerAsync(fleet.Url(b), fleet.Coordinator(b).Admin, Wallet.Create(), funds: 10_000);
        var leases = new List<LeaseView>();
        for (var i = 0; i < 2; i++)
        {
            var order = await customer.RentAsync(MarketClient.Order("sleep 600"));
            leases.Add(await customer.WaitForStateAsync(order.LeaseId, "Running", 60));
        }

        Assert.Equal(hosts.Order(), leases.Select(l => l.HostId!).Order());
        var leader = (await fleet.NetworkAsync(b))!;
        Assert.Equal((await fleet.NetworkAsync(a))!.Coordinator, leader.Leader);
        await fleet.SettledAsync(b, DateTimeOffset.UtcNow);

        // A, the leader, is killed: the agents move on, another coordinator leads within the lease and a few renewals,
        // and the next epoch is settled.
        await fleet.KillAsync(a);
        var killedAt = DateTimeOffset.UtcNow;
        var next = await Eventually.Async(() => fleet.NetworkAsync(b), n => n.Leader != leader.Leader && n.LeaderToken > leader.LeaderToken,
            "another coordinator to lead", 30);
        output.WriteLine($"{next.Leader} leads {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s after the leader was killed");
        Assert.Contains(next.Leader, new[] { (await fleet.NetworkAsync(b))!.Coordinator, (await fleet.NetworkAsync(c))!.Coordinator });
        await fleet.ConnectedAsync(hosts, b, c);
        await fleet.SettledAsync(b, killedAt);

        // A rolling restart: A comes back, then B and then C are stopped and started again, each agent moving on.
        await fleet.StartAsync(a);
        foreach (var restarted in (int[])[b, c])
        {
            await fleet.StopAsync(restarted);
            await fleet.ConnectedAsync(hosts, [.. fleet.Running]);
            await fleet.StartAsync(restarted);
        }

        await fleet.SettledAsync(a, DateTimeOffset.UtcNow);

        // Cancelled through A: each lease ran on its first host from start to end.
        using var throughA = fleet.SignedInAs(customer, a);
        foreach (var lease in leases)
            (await throughA.PostAsync($"/api/v1/leases/{lease.Id}/cancel", null)).EnsureSuccessStatusCode();
        foreach (var lease in leases)
        {
            var ended = await throughA.WaitForStateAsync(lease.Id, "Cancelled");
            Assert.Equal((lease.HostId, 1), (ended.HostId, ended.Attempt));
            output.WriteLine(await fleet.AssertBilledOnceAsync(ended));
        }

        foreach (var host in hosts)
            Assert.DoesNotContain(await fleet.TransitionsAsync(a, host), t => t.To == "Offline");
        await fleet.AssertEpochsSettledOnceAsync();
        var ledger = await fleet.Coordinator(a).Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/ledger/verify", TestCoordinator.Json);
        Assert.True(ledger.GetProperty("balanced").GetBoolean(), ledger.ToString());
    }

    /// <summary>N coordinator processes over one store, each on ports of its own kept across restarts.</summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private readonly string _db;
        private readonly string _adminToken = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        private readonly CoordinatorProcess.Ports[] _ports;
        private readonly CoordinatorProcess?[] _running;

        private Fleet(string db, int count)
        {
            _db = db;
            _ports = [.. Enumerable.Range(0, count).Select(_ => CoordinatorProcess.Ports.Free())];
            _running = new CoordinatorProcess?[count];
        }

        /// <summary>The indices of the coordinators running now.</summary>
        public IEnumerable<int> Running => Enumerable.Range(0, _running.Length).Where(i => _running[i] is not null);

        public static async Task<Fleet> StartAsync(string provider, int count)
        {
            var dir = TestCoordinator.NewDataDir();
            var fleet = new Fleet(await TestStores.NewStoreAsync(provider, dir), count);
            // One after the other: the first makes the schema of an empty SQLite file, and leads.
            for (var i = 0; i < count; i++)
                await fleet.StartAsync(i);
            return fleet;
        }

        public string Url(int i) => _ports[i].Urls;

        public CoordinatorProcess Coordinator(int i) => _running[i] ?? throw new InvalidOperationException($"coordinator {i} is not running");

        public async Task StartAsync(int i) =>
            _running[i] = await CoordinatorProcess.StartAsync(_ports[i], _db, _adminToken, Settings,
                "--heartbeat", "1", "--offline-after", "30", "--epoch", Epoch.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public async Task KillAsync(int i)
        {
            await Coordinator(i).KillAsync();
            await Coordinator(i).DisposeAsync();
            _running[i] = null;
        }

        public async Task StopAsync(int i)
        {
            await Coordinator(i).StopAsync();
            await Coordinator(i).DisposeAsync();
            _running[i] = null;
        }

        public Task<NetworkView?> NetworkAsync(int i) => Coordinator(i).Admin.GetFromJsonAsync<NetworkView>("/api/v1/network", TestCoordinator.Json);

        public async Task<List<TransitionView>> TransitionsAsync(int i, string host) =>
            (await Coordinator(i).Admin.GetFromJsonAsync<List<TransitionView>>($"/api/v1/hosts/{host}/transitions", TestCoordinator.Json))!;

        /// <summary>The customer's bearer token, used on coordinator <paramref name="i"/>.</summary>
        public HttpClient SignedInAs(HttpClient customer, int i)
        {
            var http = new HttpClient { BaseAddress = new Uri(Url(i)) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", customer.DefaultRequestHeaders.Authorization!.Parameter);
            return http;
        }

        /// <summary>Waits until each host's agent holds a stream to one of <paramref name="coordinators"/> and is Ready.</summary>
        public async Task ConnectedAsync(IEnumerable<string> hosts, params int[] coordinators)
        {
            foreach (var host in hosts)
            {
                await Eventually.Async(async () =>
                {
                    foreach (var i in coordinators)
                    {
                        if (await Coordinator(i).HostAsync(host) is { Connected: true, State: "Ready" } view)
                            return view;
                    }

                    return null;
                }, _ => true, $"host {host} to be connected to one of coordinators {string.Join(", ", coordinators)} and Ready", 60);
            }
        }

        /// <summary>Waits until the epoch that holds <paramref name="at"/> is settled, as read through coordinator
        /// <paramref name="i"/>.</summary>
        public Task<List<EpochView>> SettledAsync(int i, DateTimeOffset at) =>
            Eventually.Async(() => Coordinator(i).Admin.GetFromJsonAsync<List<EpochView>>("/api/v1/epochs", TestCoordinator.Json),
                epochs => epochs.Any(e => e.End > at), $"the epoch holding {at:HH:mm:ss.fff} to be settled", 60);

        /// <summary>Every settled epoch once, with no epoch missing between the first and the last.</summary>
        public async Task AssertEpochsSettledOnceAsync()
        {
            await using var store = await StoreAsync();
            var numbers = await store.Epochs.Select(e => e.Epoch).OrderBy(e => e).ToListAsync();
            Assert.NotEmpty(numbers);
            Assert.Equal(Enumerable.Range(0, numbers.Count).Select(k => numbers[0] + k), numbers);
        }

        /// <summary>The lease's usage reports cover disjoint periods (nothing billed twice), bill no more than it ran, and
        /// miss only seconds of it across one kill and three restarts (nothing lost but the outages' heard gaps).</summary>
        public async Task<string> AssertBilledOnceAsync(LeaseView lease)
        {
            // The agent's last report, up to the workload's end, comes after the lease ended.
            var endMs = lease.EndedAt!.Value.ToUnixTimeMilliseconds();
            var usage = await Eventually.Async(async () =>
            {
                await using var store = await StoreAsync();
                return await store.LeaseUsage.AsNoTracking().Where(u => u.LeaseId == lease.Id).OrderBy(u => u.FromMs).ToListAsync();
            }, u => u.Count > 0 && u[^1].ToMs >= endMs - 2_000, $"lease {lease.Id}'s last usage report", 30);
            for (var k = 1; k < usage.Count; k++)
                Assert.True(usage[k].FromMs >= usage[k - 1].ToMs, $"usage {usage[k - 1].FromMs}..{usage[k - 1].ToMs} and {usage[k].FromMs}..{usage[k].ToMs} overlap");
            var ran = (long)(lease.EndedAt!.Value - lease.StartedAt!.Value).TotalMilliseconds;
            var billed = usage.Sum(u => u.BilledMs);
            Assert.True(billed <= ran, $"billed {billed} ms of a lease that ran {ran} ms");
            Assert.True(billed >= ran - 15_000, $"billed {billed} ms of a lease that ran {ran} ms across one kill and three restarts");
            return $"{lease.Id}: billed {billed} ms of {ran} ms in {usage.Count} reports";
        }

        private async Task<GpunetDb> StoreAsync() =>
            await StoreConnection.Parse(_db).CreateDbContextFactory().CreateDbContextAsync();

        public async ValueTask DisposeAsync()
        {
            foreach (var c in _running)
            {
                if (c is not null)
                    await c.DisposeAsync();
            }
        }
    }
}
