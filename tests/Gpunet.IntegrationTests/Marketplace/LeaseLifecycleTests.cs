using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>Orders placed through the REST API, run by a real agent as real processes on their leased GPUs.</summary>
public sealed class LeaseLifecycleTests
{
    [Fact]
    public async Task Rent_RunsTheCommandOnExactlyItsGpus_KeepsItsOutputAndSucceeds()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8");
        var host = await agent.HostIdAsync();
        await c.WaitForStateAsync(host, "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("echo gpus=$CUDA_VISIBLE_DEVICES nv=$NVIDIA_VISIBLE_DEVICES host=$GPUNET_GPU_INDICES; echo oops >&2; exit 0", count: 2));
        Assert.True(order.Placed(), order.StateReason);
        Assert.Equal(host, order.Leases[0].HostId);
        Assert.Equal(2, order.Leases[0].GpuIndices.Count);

        var done = await customer.WaitForStateAsync(order.LeaseId, "Succeeded");
        Assert.Equal("completed", done.EndReason);
        Assert.Equal(0, done.ExitCode);
        Assert.NotNull(done.EndedAt);
        Assert.NotNull(done.StartedAt);
        var gpus = string.Join(',', done.GpuIndices);
        var lines = await Eventually.Async<List<LogLineView>>(async () => await customer.LogsAsync(order.LeaseId), l => l.Count == 2, "both lines to be stored");
        // The sandbox shows the workload its two GPUs only, numbered from 0; the host's indices are the lease's.
        Assert.Contains(lines, l => l.Stream == "stdout" && l.Text == $"gpus=0,1 nv=0,1 host={gpus}");
        Assert.Contains(lines, l => l.Stream == "stderr" && l.Text == "oops");
        Assert.Equal(["Pending", "Starting", "Running", "Succeeded"], done.History!.Select(h => h.State).Distinct());

        // Its GPUs came back the moment it ended: all 8 can be rented again.
        var all = await customer.RentAsync(MarketClient.Order("exit 0", count: 8));
        Assert.True(all.Placed(), all.StateReason);
    }

    [Fact]
    public async Task AFailingWorkload_EndsFailedWithItsExitCode()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:2");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("exit 3"));
        var done = await customer.WaitForStateAsync(order.LeaseId, "Failed");
        Assert.Equal("exit-nonzero", done.EndReason);
        Assert.Equal(3, done.ExitCode);
    }

    [Fact]
    public async Task AProgramThatCannotStart_FailsWithStartFailed()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:1");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, command = new[] { "/no/such/program" } });
        var done = await customer.WaitForStateAsync(order.LeaseId, "Failed");
        Assert.Equal("start-failed", done.EndReason);
        Assert.Contains("/no/such/program", done.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOrderThatFitsNothing_WaitsWithItsReason_AndIsPlacedWhenCapacityAppears()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var h100 = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8");
        await c.WaitForStateAsync(await h100.HostIdAsync(), "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        var order = await customer.RentAsync(MarketClient.Order("echo placed", gpu: "A100"));
        Assert.Equal("Pending", order.State);
        Assert.Contains("A100", order.StateReason, StringComparison.Ordinal);
        Assert.Null(order.Leases[0].HostId);

        await using var a100 = TestAgent.Start(c.ApiUrl, "A100-SXM4-80GB:4", country: "FR");
        var host = await a100.HostIdAsync();
        var done = await customer.WaitForStateAsync(order.LeaseId, "Succeeded");
        Assert.Equal(host, done.HostId);
        Assert.Equal("A100-SXM4-80GB", done.GpuModel);
    }

    [Fact]
    public async Task Cancel_KillsTheWorkloadAndReleasesItsGpus()
    {
        await using var c = await TestCoordinator.StartAsync();
        var work = Directory.CreateTempSubdirectory("gpunet-agent-").FullName;
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", workDirectory: work);
        await c.WaitForStateAsync(await agent.HostIdAsync(), "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());

        // The sandbox numbers the workload's processes from 1: it is found on the host by its argument.
        var order = await customer.RentAsync(MarketClient.Order("echo started > started; exec sleep 60.0606", count: 8));
        await customer.WaitForStateAsync(order.LeaseId, "Running");
        var started = Path.Combine(work, "leases", order.LeaseId, "started");
        await Eventually.Async(() => Task.FromResult<string?>(File.Exists(started) ? "started" : null), _ => true, "the workload to start");
        Assert.Single(Gpunet.IntegrationTests.Agent.Workloads.ProcessProbe.WithArgument("60.0606"));

        using var cancel = await customer.PostAsync($"/api/v1/leases/{order.LeaseId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = (await cancel.Content.ReadFromJsonAsync<LeaseView>(TestCoordinator.Json))!;
        Assert.Equal("Cancelled", cancelled.State);
        Assert.Equal("cancelled", cancelled.EndReason);

        // The GPUs are free at once, and the process is gone soon after.
        var next = await customer.RentAsync(MarketClient.Order("true", count: 8));
        Assert.True(next.Placed(), next.StateReason);
        await Eventually.Async(() => Task.FromResult(Gpunet.IntegrationTests.Agent.Workloads.ProcessProbe.WithArgument("60.0606").Count), n => n == 0,
            "the workload's process to be killed");

        using var again = await customer.PostAsync($"/api/v1/leases/{order.LeaseId}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Logs_Follow_StreamsLinesUntilTheLeaseEnds()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:1");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("for i in 1 2 3; do echo line $i; sleep 0.3; done"));

        // Opened while it runs; returns by itself once the lease has ended and its last lines are sent.
        var text = await customer.GetStringAsync($"/api/v1/leases/{order.LeaseId}/logs?follow=true");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()).ToList();
        Assert.Equal(["line 1", "line 2", "line 3"], lines);
    }

    [Fact]
    public async Task Metrics_CountQueuedAndPlacedLeasesFreeGpusAndEnds()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8");
        using var customer = await c.CustomerAsync(Wallet.Create());

        await customer.RentAsync(MarketClient.Order("sleep 60", count: 3));
        await customer.RentAsync(MarketClient.Order("true", gpu: "A100"));
        var done = await customer.RentAsync(MarketClient.Order("exit 3"));
        await customer.WaitForStateAsync(done.LeaseId, "Failed");

        var text = await Eventually.Async(() => c.Anonymous.GetStringAsync("/metrics")!,
            t => t.Contains("gpunet_leases_placed 1\n", StringComparison.Ordinal), "one placed lease in the metrics");
        Assert.Contains("gpunet_leases_queued 1\n", text, StringComparison.Ordinal);
        Assert.Contains("gpunet_gpus_free 5\n", text, StringComparison.Ordinal);
        Assert.Contains("gpunet_leases_ended_total{reason=\"exit-nonzero\"} 1", text, StringComparison.Ordinal);
        Assert.Matches(@"\ngpunet_market_ticks_total [1-9]\d*\n", text);
        // The market's loop says what kept it busy: the three orders (placed together or apart), the agent's reports.
        Assert.InRange(Metric(text, "gpunet_market_work_total{work=\"submit\"}"), 1, 3);
        Assert.True(Metric(text, "gpunet_market_work_total{work=\"reports\"}") >= 1);
        Assert.True(Metric(text, "gpunet_market_busy_seconds_total{work=\"submit\"}") > 0);
        Assert.Equal(0, Metric(text, "gpunet_market_work_total{work=\"cancel\"}"));
    }

    private static double Metric(string text, string series)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
