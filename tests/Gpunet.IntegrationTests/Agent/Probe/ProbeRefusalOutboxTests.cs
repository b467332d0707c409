using Gpunet.Agent.Probe;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Agent.Probe;

/// <summary>The agent's batches of refused probes: at most one every 10 s, at most 100 refusals each, the excess dropped
/// and counted.</summary>
public sealed class ProbeRefusalOutboxTests
{
    [Fact]
    public void TakeDue_AFloodOfRefusals_SendsOneBatchOfAHundredEveryTenSeconds_AndCountsTheDropped()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var counters = new ProbeCounters();
        var outbox = new ProbeRefusalOutbox(counters, clock);
        Assert.Null(outbox.TakeDue());

        for (var i = 0; i < 250; i++)
            outbox.Add($"chk_{i}", "0x" + new string('a', 200), ProbeRefusalReason.NotAssigned);
        var first = outbox.TakeDue();
        Assert.NotNull(first);
        Assert.Equal(ProbeRefusalOutbox.MaxPerBatch, first.Refusals.Count);
        Assert.Equal(150, first.Dropped);
        Assert.Equal(150, counters.RefusalsNotReported);
        Assert.Equal("chk_0", first.Refusals[0].CheckId);
        Assert.Equal(nameof(ProbeRefusalReason.NotAssigned), first.Refusals[0].Reason);
        // A stranger's oversized checker field is cut, so it cannot grow the batch.
        Assert.Equal(64, first.Refusals[0].Checker.Length);

        // More refusals within 10 s wait for the next batch.
        outbox.Add("chk_late", "0xabc", ProbeRefusalReason.Replayed);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(outbox.TakeDue());
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = outbox.TakeDue();
        Assert.NotNull(second);
        Assert.Equal("chk_late", Assert.Single(second.Refusals).CheckId);
        Assert.Equal(0, second.Dropped);
        Assert.Null(outbox.TakeDue());
    }
}
