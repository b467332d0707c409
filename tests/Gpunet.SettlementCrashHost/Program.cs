using System.Globalization;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Ledger;
using Gpunet.SettlementCrashHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;

// A real coordinator, as `gpunet coordinator --data D --urls U --agent-urls A --epoch S --admin-token T --network N`
// starts it, with the settlement store wrapped so that the first settlement kills the process before its commit.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
    options[args[i]] = args[i + 1];

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.AddGpunetCoordinator(o =>
{
    o.Store.DataDirectory = options["--data"];
    o.Access.NetworkId = options["--network"];
    o.Access.AdminToken = options["--admin-token"];
    o.Ledger.EpochLength = TimeSpan.FromSeconds(int.Parse(options["--epoch"], CultureInfo.InvariantCulture));
    // As `gpunet coordinator` has them with its default heartbeat.
    o.Hosts.OfflineGracePeriod = o.Hosts.HeartbeatInterval * 6;
    o.Metering.UsageLateness = TimeSpan.FromSeconds(600);
});
// Registered last, so it is the settlement store the coordinator resolves.
builder.Services.AddSingleton<ISettlementStore>(new KilledSettlementStore(new StoredSettlementStore()));
CoordinatorEndpoints? endpoints = null;
builder.WebHost.ConfigureKestrel(k => endpoints = new CoordinatorEndpoints(k, options["--urls"], options["--agent-urls"]));
builder.Services.AddSingleton(_ => endpoints ?? throw new InvalidOperationException("Kestrel was not configured"));
await using var app = builder.Build();
app.MapGpunetCoordinator();
await app.RunAsync();
