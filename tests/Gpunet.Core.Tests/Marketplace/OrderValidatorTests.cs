using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class OrderValidatorTests
{
    private static readonly OrderSpec Valid = new()
    {
        Models = ["H100"],
        GpusPerHost = 8,
        Hosts = 2,
        AllowedCountries = ["DE", "fr"],
        MaxPriceUsdPerGpuHour = 2.5m,
        Duration = TimeSpan.FromHours(4),
        Command = ["python", "train.py"],
    };

    [Fact]
    public void Validate_GoodOrder_NoErrors()
    {
        Assert.Empty(OrderValidator.Validate(Valid, maxGpusOnAnyHost: 8));
        Assert.Empty(OrderValidator.Validate(Valid with { Models = ["H100-SXM5-80GB", "h200"], GpusPerHost = 1, GpuMilli = 250 }));
        Assert.Empty(OrderValidator.Validate(Valid with { Type = OrderType.Reserve, Duration = TimeSpan.FromDays(30) }));
        Assert.Empty(OrderValidator.Validate(Valid with { Kind = WorkloadKind.Service, Port = 8080, Duration = null }));
    }

    public static TheoryData<OrderSpec, string, string> BadOrders => new()
    {
        { Valid with { Models = ["H1000"] }, "gpu", "unknown GPU model 'H1000'" },
        { Valid with { GpusPerHost = 0 }, "count", "at least 1" },
        { Valid with { GpusPerHost = -2 }, "count", "at least 1" },
        { Valid with { GpusPerHost = 9 }, "count", "no host has more than 8" },
        { Valid with { GpusPerHost = 2, GpuMilli = 500 }, "gpuMilli", "one GPU per host" },
        { Valid with { GpuMilli = 0 }, "gpuMilli", "between 1 and 1000" },
        { Valid with { GpuMilli = 1500 }, "gpuMilli", "between 1 and 1000" },
        { Valid with { Hosts = 0 }, "hosts", "between 1 and" },
        { Valid with { AllowedCountries = ["XX"] }, "countries", "unknown country code 'XX'" },
        { Valid with { DeniedCountries = ["Germany"] }, "notCountries", "not a country code" },
        { Valid with { DeniedCountries = ["DE"] }, "countries", "both allowed and denied" },
        { Valid with { AllowedRegions = [" "] }, "regions", "not a region name" },
        { Valid with { DeniedRegions = [new string('x', 65)] }, "notRegions", "not a region name" },
        { Valid with { AllowedRegions = ["Hesse"], DeniedRegions = ["hesse"] }, "regions", "both allowed and denied" },
        { Valid with { MaxPriceUsdPerGpuHour = -1 }, "maxPrice", "above 0" },
        { Valid with { MaxPriceUsdPerGpuHour = 0 }, "maxPrice", "above 0" },
        { Valid with { MaxPriceUsdPerGpuHour = 50_000 }, "maxPrice", "absurd" },
        { Valid with { Duration = TimeSpan.FromHours(-1) }, "hours", "above 0" },
        { Valid with { Duration = TimeSpan.FromDays(5000) }, "hours", "at most" },
        { Valid with { Type = OrderType.Reserve, Duration = null }, "hours", "needs a term" },
        { Valid with { Command = [] }, "command", "required" },
        { Valid with { Command = [" "] }, "command", "required" },
        { Valid with { Command = ["true", .. Enumerable.Repeat("", OrderValidator.MaxCommandArguments)] }, "command", "at most 1024 elements" },
        { Valid with { Runtime = "podman" }, "runtime", "expected process or docker" },
        { Valid with { Kind = WorkloadKind.Service }, "port", "must name the port" },
        { Valid with { Port = 70_000 }, "port", "between 1 and 65535" },
        { Valid with { MaxLatencyMs = 20 }, "latencyFrom", "required with maxLatencyMs" },
        { Valid with { MaxLatencyMs = 20, LatencyFrom = (95, 0) }, "latencyFrom", "within ±90" },
        { Valid with { Kind = WorkloadKind.Session, Duration = TimeSpan.FromHours(48) }, "hours", "at most 24 hours" },
        { Valid with { MinVramGb = 0 }, "minVramGb", "between 1 and 1024" },
        { Valid with { CpuMilliPerHost = -1 }, "cpu", "negative" },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public void Validate_BadField_IsNamedWithAReason(OrderSpec order, string field, string message)
    {
        var error = Assert.Single(OrderValidator.Validate(order, maxGpusOnAnyHost: 8));
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(field + ": ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var errors = OrderValidator.Validate(Valid with { Models = ["H1000"], GpusPerHost = 0, AllowedCountries = ["XX"], MaxPriceUsdPerGpuHour = -1, Command = [] });
        Assert.Equal(["gpu", "count", "countries", "maxPrice", "command"], errors.Select(e => e.Field).ToArray());
    }
}
