using System.Globalization;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.SettlementCrashHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;

// A real coordinator, as `gpunet coordinator --data D --urls U --agent-urls A --epoch S --admin-token T --network N
// [--db DB] [--heartbeat SECONDS]` starts it, killed (SIGKILL) inside a transaction before its commit. `--gates off`
// admits every participant and host as the tests' in-process coordinators do (no stake, KYC or IP location needed), so
// a restart can be one of those. `--crash-at` picks the transaction:
//   settlement (the default)  the first epoch settlement, after all its writes;
//   placement                 the first placement's lease step (Pending to Starting), after its capacity commit;
//   policy                    the second lease a compliance re-evaluation ends (the first one is committed).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
    options[args[i]] = args[i + 1];

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [CoordinatorApp.WithoutConfigReload] });
builder.AddGpunetCoordinator(o =>
{
    o.Store.DataDirectory = options["--data"];
    o.Store.Database = options.GetValueOrDefault("--db");
    o.Access.NetworkId = options["--network"];
    o.Access.AdminToken = options["--admin-token"];
    o.Ledger.EpochLength = TimeSpan.FromSeconds(int.Parse(options["--epoch"], CultureInfo.InvariantCulture));
    // As `gpunet coordinator` has them with its default heartbeat.
    o.Hosts.OfflineGracePeriod = o.Hosts.HeartbeatInterval * 6;
    o.Metering.UsageLateness = TimeSpan.FromSeconds(600);
    if (options.GetValueOrDefault("--heartbeat") is { } heartbeat)
    {
        o.Hosts.HeartbeatInterval = TimeSpan.FromSeconds(double.Parse(heartbeat, CultureInfo.InvariantCulture));
        o.Hosts.OfflineGracePeriod = o.Hosts.HeartbeatInterval * 6;
    }

    if (options.GetValueOrDefault("--gates") == "off")
    {
        o.Ledger.RequireStake = false;
        o.Compliance.ApproveAllKyc = true;
        o.Compliance.TrustDeclaredLocation = true;
    }
});
KilledCommit? killed = options.GetValueOrDefault("--crash-at", "settlement") switch
{
    "settlement" => null,
    "placement" => new KilledCommit("PLACEMENT-CRASH", "a placement's lease step", 1, KilledCommit.Placement),
    "policy" => new KilledCommit("POLICY-CRASH", "a compliance re-evaluation's end of a lease", 2, KilledCommit.ComplianceEnd),
    var other => throw new ArgumentException($"--crash-at {other}: settlement, placement or policy"),
};
if (killed is null)
{
    // Registered last, so it is the settlement store the coordinator resolves.
    builder.Services.AddSingleton<ISettlementStore>(new KilledSettlementStore(new StoredSettlementStore()));
}
else
{
    // One interceptor for every context: it counts the matching commits across them.
    builder.Services.ConfigureDbContext<GpunetDb>((_, db) => db.AddInterceptors(killed), ServiceLifetime.Singleton);
}

CoordinatorEndpoints? endpoints = null;
builder.WebHost.ConfigureKestrel(k => endpoints = new CoordinatorEndpoints(k, options["--urls"], options["--agent-urls"]));
builder.Services.AddSingleton(_ => endpoints ?? throw new InvalidOperationException("Kestrel was not configured"));
await using var app = builder.Build();
app.MapGpunetCoordinator();
await app.RunAsync();
