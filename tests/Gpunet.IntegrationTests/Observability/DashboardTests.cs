namespace Gpunet.IntegrationTests.Observability;

/// <summary>The shipped dashboard imports into any Grafana: its data source is chosen at import, not fixed.</summary>
public sealed class DashboardTests
{
    [Fact]
    public void Dashboard_EveryQueryPanel_UsesTheDatasourceVariable_AndCoversEachArea()
    {
        var dashboard = Dashboard.Read();

        var variables = dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        Assert.Contains(variables, v => v.GetProperty("type").GetString() == "datasource" && v.GetProperty("name").GetString() == "datasource");
        var queried = Dashboard.Panels(dashboard).Where(p => p.TryGetProperty("targets", out _)).ToList();
        Assert.All(queried, p => Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString()));
        var rows = Dashboard.Panels(dashboard).Where(p => p.GetProperty("type").GetString() == "row").Select(p => p.GetProperty("title").GetString()!).ToList();
        foreach (var area in new[] { "Placements", "Heartbeats", "Settlement", "Ledger", "Compliance", "Checks" })
            Assert.Contains(rows, r => r.StartsWith(area, StringComparison.Ordinal));
        Assert.Contains(Dashboard.Panels(dashboard), p => p.GetProperty("title").GetString() == "Traces");
    }
}
