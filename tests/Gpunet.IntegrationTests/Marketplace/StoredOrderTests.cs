using System.Text.Json;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>An order's terms are stored in the marketplace's own shape, and orders stored before it still read.</summary>
public sealed class StoredOrderTests
{
    // As the released coordinator (schema 7) stored an order: the API request's JSON (from the released-store fixture).
    private const string ReleasedSpec =
        """{"gpu":["H100"],"count":1,"gpuMilli":1000,"minVramGb":null,"minComputeCapability":null,"cpu":0,"memoryMib":0,"hosts":1,"countries":[],"notCountries":[],"regions":[],"notRegions":[],"residency":null,"host":null,"maxLatencyMs":null,"latencyFrom":null,"slaTier":"standard","maxPrice":5,"type":"on-demand","hours":null,"restart":"never","kind":"job","runtime":"process","command":["sh","-c","echo hello from the fixture; echo warn \u003E\u00262"],"environment":null,"port":null,"ranking":"balanced","queueTimeoutMinutes":60}""";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Read_AnOrderStoredByTheReleasedVersion_GivesItsTerms()
    {
        var request = StoredOrder.Read(Row(ReleasedSpec)).ToRequest();

        Assert.Equal(["H100"], request.Gpu);
        Assert.Equal(5m, request.MaxPrice);
        Assert.Equal(["sh", "-c", "echo hello from the fixture; echo warn >&2"], request.Command);
        Assert.Equal("on-demand", request.Type);
        Assert.Null(request.Residency);
    }

    [Fact]
    public void WriteThenRead_KeepsEveryTerm()
    {
        var request = new OrderRequest
        {
            Gpu = ["A100", "H100"], Count = 2, GpuMilli = 500, MinVramGb = 40, MinComputeCapability = 8.0m, Cpu = 4000,
            MemoryMib = 16384, Hosts = 3, Countries = ["DE", "FR"], NotCountries = ["US"], Regions = ["Hesse"], NotRegions = ["Bavaria"],
            Residency = "EU", Host = "host-0123456789ab", MaxLatencyMs = 40, LatencyFrom = new GeoPoint(50.1, 8.7), SlaTier = "premium",
            MaxPrice = 2.5m, Type = "reserved", Hours = 12, Restart = "on-failure", Kind = "service", Runtime = "docker",
            Command = ["python", "serve.py"], Environment = new Dictionary<string, string> { ["MODE"] = "fast" }, Port = 8080,
            Ranking = "cheapest", QueueTimeoutMinutes = 15,
        };

        var stored = StoredOrder.Read(Row(StoredOrder.Of(request).Write()));

        Assert.Equal(JsonSerializer.Serialize(request, Web), JsonSerializer.Serialize(stored.ToRequest(), Web));
        Assert.Equal(StoredOrder.CurrentVersion, stored.Version);
    }

    [Fact]
    public void Read_TermsOfANewerVersion_AreRefusedNamingTheOrder()
    {
        var e = Assert.Throws<InvalidDataException>(() => StoredOrder.Read(Row("""{"version":99,"gpu":["H100"]}""")));

        Assert.Contains("order-1", e.Message, StringComparison.Ordinal);
        Assert.Contains("version 99", e.Message, StringComparison.Ordinal);
    }

    private static OrderRecord Row(string spec) => new() { Id = "order-1", Owner = "0xabc", Spec = spec };
}
