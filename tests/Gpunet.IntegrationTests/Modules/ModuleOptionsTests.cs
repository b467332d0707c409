using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Coordinator;
using Gpunet.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gpunet.IntegrationTests.Modules;

/// <summary>Each module reads its own settings from the one flat <c>Coordinator</c> section and checks them when the
/// coordinator starts: a bad value stops the start with the key named.</summary>
public sealed class ModuleOptionsTests
{
    [Fact]
    public void Read_FlatKeys_LandInTheModuleThatOwnsEach()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Coordinator:HeartbeatInterval"] = "00:00:05",
            ["Coordinator:UsageLateness"] = "00:20:00",
            ["Coordinator:NetworkId"] = "acme-net",
            ["Coordinator:ComplianceOfficers:0"] = "0x00000000000000000000000000000000000000aa",
            ["Coordinator:MaxQueuedLeasesPerCustomer"] = "7",
        }).Build();

        var o = CoordinatorOptions.Read(configuration, o => o.Ledger.FaucetLimit = 3);

        Assert.Equal(TimeSpan.FromSeconds(5), o.Hosts.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMinutes(20), o.Metering.UsageLateness);
        Assert.Equal("acme-net", o.Access.NetworkId);
        Assert.Equal(["0x00000000000000000000000000000000000000aa"], o.Compliance.ComplianceOfficers);
        Assert.Equal(7, o.Market.MaxQueuedLeasesPerCustomer);
        Assert.Equal(3m, o.Ledger.FaucetLimit);
    }

    [Fact]
    public async Task Start_WithOverridesOfSeveralModules_EachModuleRunsWithItsOwn()
    {
        await using var app = Build(o =>
        {
            o.Access.NetworkId = "modules-test";
            o.Hosts.HeartbeatInterval = TimeSpan.FromSeconds(2);
            o.Market.MaxLogFollowsPerCustomer = 3;
        });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<CoordinatorEndpoints>().ApiUrl) };
            var network = await http.GetFromJsonAsync<JsonElement>("/api/v1/network");
            Assert.Equal("modules-test", network.GetProperty("network").GetString());
            Assert.Equal(2.0, network.GetProperty("heartbeatIntervalSeconds").GetDouble());
            Assert.Equal(3, app.Services.GetRequiredService<IOptions<Gpunet.Coordinator.Marketplace.MarketOptions>>().Value.MaxLogFollowsPerCustomer);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Build_ReadsItsSettingsFilesOnce_WatchingNoFolder()
    {
        // A watch for changes is an inotify instance on the working directory and every folder below it; the settings
        // are validated once, at start, so nothing would take a change anyway.
        await using var app = Build(_ => { });

        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched"));
    }

    [Theory]
    [InlineData("heartbeat", "HeartbeatInterval: at least 100 ms")]
    [InlineData("grace", "OfflineGracePeriod: must be longer than")]
    [InlineData("lateness", "UsageLateness: must exceed 2 heartbeat intervals")]
    [InlineData("officer", "ComplianceOfficers: each must be a wallet address")]
    [InlineData("vendor", "KycVendor: a vendor needs KycVendorUrl")]
    [InlineData("queue", "MaxQueuedLeasesPerCustomer")]
    [InlineData("market", "MarketInterval: must be positive")]
    [InlineData("scan", "ForeignChangeScanInterval: must be positive")]
    [InlineData("reconcile", "CapacityReconcileInterval: must be positive")]
    [InlineData("inner step", "MaxInnerSize must be a multiple of 256")]
    [InlineData("inner shape", "CapacitySize and MaxInnerSize: n × k = 32768 × 65536 is more than")]
    [InlineData("cors path", "CorsOrigins: 'https://app.example.com/console' is not a web origin")]
    [InlineData("cors any", "CorsOrigins: '*' is not a web origin")]
    [InlineData("cors port", "CorsOrigins: 'https://app.example.com:443': leave out the default port")]
    public async Task Start_WithABadSetting_FailsNamingTheKey(string bad, string expected)
    {
        // Refused while the coordinator is built or started, before anything listens.
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = Build(o =>
            {
                switch (bad)
                {
                    case "heartbeat": o.Hosts.HeartbeatInterval = TimeSpan.FromMilliseconds(50); break;
                    case "grace": o.Hosts.OfflineGracePeriod = TimeSpan.FromSeconds(5); break;
                    case "lateness": o.Hosts.HeartbeatInterval = TimeSpan.FromSeconds(10); o.Metering.UsageLateness = TimeSpan.FromSeconds(15); break;
                    case "officer": o.Compliance.ComplianceOfficers = ["not-an-address"]; break;
                    case "vendor": o.Compliance.KycVendor = "acme"; break;
                    case "queue": o.Market.MaxQueuedLeasesPerCustomer = 0; break;
                    case "market": o.Market.MarketInterval = TimeSpan.Zero; break;
                    case "scan": o.Market.ForeignChangeScanInterval = TimeSpan.FromSeconds(-1); break;
                    case "reconcile": o.Market.CapacityReconcileInterval = TimeSpan.Zero; break;
                    case "inner step": o.Verification.MaxInnerSize = 65_537; break;
                    case "inner shape": o.Verification.CapacitySize = 32_768; break;
                    case "cors path": o.Edge.CorsOrigins = ["https://app.example.com/console"]; break;
                    case "cors any": o.Edge.CorsOrigins = ["*"]; break;
                    case "cors port": o.Edge.CorsOrigins = ["https://app.example.com:443"]; break;
                }
            });
            await app.StartAsync();
        });

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static WebApplication Build(Action<CoordinatorOptions> configure) =>
        CoordinatorApp.Build("http://127.0.0.1:0", o =>
        {
            o.Store.DataDirectory = TestCoordinator.NewDataDir();
            o.Compliance.ApproveAllKyc = true;
            configure(o);
        }, logging => logging.ClearProviders());
}
