using System.Net;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

public sealed class DocsAndMetricsTests
{
    [Fact]
    public async Task OpenApi_DescribesTheApi_AndReferencePageServes()
    {
        await using var c = await TestCoordinator.StartAsync();
        var doc = JsonDocument.Parse(await c.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/v1/hosts", "/api/v1/hosts/{id}", "/api/v1/hosts/{id}/transitions", "/api/v1/gpus", "/api/v1/auth/challenge", "/api/v1/auth/token", "/api/v1/network" })
            Assert.True(paths.TryGetProperty(p, out _), $"OpenAPI lacks {p}");
        Assert.Equal("ListHosts", paths.GetProperty("/api/v1/hosts").GetProperty("get").GetProperty("operationId").GetString());
        Assert.Equal("Gpunet coordinator API", doc.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        // Sign-in itself needs no token; the host list does.
        Assert.Equal(0, paths.GetProperty("/api/v1/auth/challenge").GetProperty("post").GetProperty("security").GetArrayLength());
        Assert.False(paths.GetProperty("/api/v1/hosts").GetProperty("get").TryGetProperty("security", out _));

        var page = await c.Anonymous.GetAsync("/reference");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ShowHostsByStateGpusByModelHeartbeatsAndLatency()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = TestAgent.Start(c.ApiUrl, "L40S-48GB:4", "JP", region: "Tokyo");
        await c.WaitForStateAsync(await agent.HostIdAsync(), "Ready");
        await c.Admin.GetAsync("/api/v1/hosts");

        var text = await Eventually.Async(() => c.Anonymous.GetStringAsync("/metrics")!, t => t.Contains("gpunet_heartbeats_total", StringComparison.Ordinal) && !t.Contains("gpunet_heartbeats_total 0", StringComparison.Ordinal), "heartbeats in metrics");
        Assert.Contains("gpunet_hosts{state=\"Ready\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("gpunet_gpus{model=\"L40S-48GB\",state=\"Ready\"} 4", text, StringComparison.Ordinal);
        Assert.Contains("gpunet_agents_connected 1", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds", text, StringComparison.Ordinal);
        // 5 heartbeats/s from one agent at a 200 ms interval.
        await Eventually.Async(() => c.Anonymous.GetStringAsync("/metrics")!, t => HeartbeatRate(t) is > 2 and < 10, "the heartbeat rate");
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        await using var c = await TestCoordinator.StartAsync();
        var r = await c.Anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("ok", JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    private static double HeartbeatRate(string metrics)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("gpunet_heartbeats_per_second ", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
