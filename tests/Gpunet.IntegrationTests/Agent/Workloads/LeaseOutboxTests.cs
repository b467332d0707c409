using Gpunet.Agent.Workloads;
using Gpunet.Protocol;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The supervisor's outbox while nobody reads it (the coordinator is away): bounded, reports kept, gaps marked.</summary>
public sealed class LeaseOutboxTests
{
    private static LeaseLog Batch(string lease, long firstSequence, int count)
    {
        var batch = new LeaseLog { LeaseId = lease, Attempt = 1 };
        for (var s = firstSequence; s < firstSequence + count; s++)
            batch.Lines.Add(new LogLine { Sequence = s, Stream = "stdout", Text = $"line {s}", AtUnixMs = 1000 + s });
        return batch;
    }

    private static LeaseReport Report(string lease, Phase phase) => new() { LeaseId = lease, Phase = phase };

    private static List<AgentMessage> Drain(LeaseOutbox outbox)
    {
        var messages = new List<AgentMessage>();
        while (outbox.TryRead(out var message))
            messages.Add(message);
        return messages;
    }

    [Fact]
    public void Add_BeyondCapacity_DropsOldestBatches_MarksTheGap_KeepsEveryReport()
    {
        var outbox = new LeaseOutbox(logCapacity: 3);
        outbox.Add(Report("a", Phase.Running));
        for (var i = 0; i < 5; i++)
            outbox.Add(Batch("a", 1 + (2 * i), 2));
        outbox.Add(Report("a", Phase.Exited));

        var messages = Drain(outbox);

        Assert.Equal(Phase.Running, messages[0].LeaseReport.Phase);
        Assert.Equal(Phase.Exited, messages[^1].LeaseReport.Phase);
        var lines = messages.Where(m => m.LeaseLog is not null).SelectMany(m => m.LeaseLog.Lines).ToList();
        Assert.Equal(("stderr", "[gpunet: 4 log lines dropped while disconnected]", 4L), (lines[0].Stream, lines[0].Text, lines[0].Sequence));
        Assert.Equal(Enumerable.Range(5, 6).Select(s => $"line {s}"), lines.Skip(1).Select(l => l.Text));
        Assert.Equal(lines.Select(l => l.Sequence).Order(), lines.Select(l => l.Sequence));
    }

    [Fact]
    public void Add_UsageReportsBeyondLogCapacity_AreNeverDropped()
    {
        var outbox = new LeaseOutbox(logCapacity: 2);
        for (var i = 1; i <= 4; i++)
        {
            outbox.Add(new UsageReport { LeaseId = "a", Sequence = i });
            outbox.Add(Batch("a", i, 1));
        }

        var usage = Drain(outbox).Where(m => m.UsageReport is not null).Select(m => m.UsageReport.Sequence);

        Assert.Equal([1L, 2L, 3L, 4L], usage);
    }

    [Fact]
    public void Add_GapAtTheEndOfALease_IsMarkedBeforeItsEndReport()
    {
        var outbox = new LeaseOutbox(logCapacity: 2);
        outbox.Add(Batch("a", 1, 3));
        outbox.Add(Batch("b", 1, 1));
        outbox.Add(Batch("b", 2, 1));
        outbox.Add(Batch("b", 3, 1));
        outbox.Add(Report("a", Phase.Killed));

        var messages = Drain(outbox);

        Assert.Equal(4, messages.Count);
        Assert.Equal(["[gpunet: 1 log lines dropped while disconnected]", "line 2"], messages[0].LeaseLog.Lines.Select(l => l.Text));
        Assert.Equal("b", messages[1].LeaseLog.LeaseId);
        Assert.Equal(("a", "[gpunet: 3 log lines dropped while disconnected]"), (messages[2].LeaseLog.LeaseId, Assert.Single(messages[2].LeaseLog.Lines).Text));
        Assert.Equal(Phase.Killed, messages[3].LeaseReport.Phase);
    }

    [Fact]
    public void Rewind_AfterABrokenStream_SendsWhatWasNotAcknowledgedAgainFirst_InOrder()
    {
        var outbox = new LeaseOutbox(logCapacity: 10);
        outbox.Add(Report("a", Phase.Running));
        outbox.Add(Batch("a", 1, 2));
        outbox.Add(new UsageReport { LeaseId = "a", Attempt = 1, Sequence = 1 });
        outbox.Add(Batch("a", 3, 2));
        Assert.Equal(4, Drain(outbox).Count);
        // The coordinator stored the first batch; the stream broke before the rest was answered.
        outbox.Acknowledge(new LogAck { LeaseId = "a", Attempt = 1, LastSequence = 2 });
        outbox.Add(Batch("a", 5, 1));

        outbox.Rewind();
        var again = Drain(outbox);

        // The report of the start is not resent (the registration carries it); the usage report and the lines are.
        Assert.Equal([AgentMessage.BodyOneofCase.UsageReport, AgentMessage.BodyOneofCase.LeaseLog, AgentMessage.BodyOneofCase.LeaseLog], again.Select(m => m.BodyCase));
        Assert.Equal(["line 3", "line 4", "line 5"], again.Where(m => m.LeaseLog is not null).SelectMany(m => m.LeaseLog.Lines).Select(l => l.Text));
        Assert.Equal(3, outbox.Unacknowledged);

        outbox.Acknowledge(new UsageAck { LeaseId = "a", Attempt = 1, Sequence = 1, Accepted = false, Code = "AlreadyBilled" });
        outbox.Acknowledge(new LogAck { LeaseId = "a", Attempt = 1, LastSequence = 4 });
        outbox.Acknowledge(new LogAck { LeaseId = "a", Attempt = 2, LastSequence = 5 }); // another attempt's: not this batch
        outbox.Rewind();
        Assert.Equal(["line 5"], Drain(outbox).SelectMany(m => m.LeaseLog.Lines).Select(l => l.Text));
        outbox.Forget("a");
        outbox.Rewind();
        Assert.Empty(Drain(outbox));
        Assert.Equal(0, outbox.Unacknowledged);
    }

    [Fact]
    public void Forget_BeforeANewStreamsResendsWentOut_KeepsThemToSend()
    {
        var outbox = new LeaseOutbox(logCapacity: 8);
        outbox.Add(Batch("a", 1, 2));
        outbox.Add(Batch("b", 1, 1));
        Drain(outbox);

        // A new stream: both batches wait to be sent again; the coordinator's answer to the registration (it stored
        // lease a's end) arrives before they went out. Lease a's lines are still sent, for the coordinator to take.
        outbox.Rewind();
        outbox.Forget("a");
        Assert.Equal(["a", "b"], Drain(outbox).Select(m => m.LeaseLog.LeaseId));

        // Sent on this stream now: forgetting lets go of them.
        outbox.Forget("a");
        outbox.Rewind();
        Assert.Equal(["b"], Drain(outbox).Select(m => m.LeaseLog.LeaseId));
    }

    [Fact]
    public void Add_BeyondCapacityWithBatchesSentButNotAcknowledged_DropsThoseFirst_WithoutAGapMarker()
    {
        var outbox = new LeaseOutbox(logCapacity: 2);
        outbox.Add(Batch("a", 1, 1));
        outbox.Add(Batch("a", 2, 1));
        Drain(outbox);
        // Sent once each, never acknowledged (the coordinator most likely stored them); two more come.
        outbox.Add(Batch("a", 3, 1));
        outbox.Add(Batch("a", 4, 1));

        outbox.Rewind();
        var lines = Drain(outbox).SelectMany(m => m.LeaseLog.Lines).Select(l => l.Text).ToList();

        Assert.Equal(["line 3", "line 4"], lines);
    }

    [Fact]
    public async Task WaitToRead_WakesOnAdd_AndEndsAfterCompleteOnceDrained()
    {
        var outbox = new LeaseOutbox(logCapacity: 10);
        var waiting = outbox.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        outbox.Add(Report("a", Phase.Running));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        outbox.Complete();
        outbox.Add(Report("a", Phase.Exited));

        Assert.Equal(Phase.Running, (await outbox.ReadAsync()).LeaseReport.Phase);
        Assert.False(await outbox.WaitToReadAsync());
        await outbox.Completion.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
