namespace Gpunet.Simulation;

/// <summary>The coordinator's log intake: a batch of the lease's current attempt, from its host, is stored once (a resend
/// is answered again) and acknowledged after the write; a batch of an attempt that is over, or later than the lateness
/// after the lease's end, is acknowledged and dropped; a batch for a lease the store does not know is not acknowledged
/// (the agent sends it again on its next stream).</summary>
internal sealed class SimLogIntake(SimCoordinator c, Scheduler clock, ChaosOptions options, Truth truth)
{
    private SimStore Store => c.Store;

    public void Take(string hostId, LogBatch batch)
    {
        if (!Store.Leases.TryGetValue(batch.Lease, out var lease))
            return;
        var key = (batch.Lease, batch.Attempt);
        if (Store.Lines.TryGetValue(key, out var stored) && stored.Contains((batch.FirstSequence, batch.LastSequence)))
        {
            c.Acknowledge(hostId, batch.Key);
            return;
        }

        if (lease.HostId != hostId || lease.Attempt != batch.Attempt || lease.EndedMs is { } ended && clock.Now - ended > options.UsageLatenessMs)
        {
            truth.LinesDropped.Add((batch.Lease, batch.Attempt, batch.FirstSequence, batch.LastSequence));
            c.Acknowledge(hostId, batch.Key);
            return;
        }

        c.Write(() =>
        {
            if (!Store.Lines.TryGetValue(key, out var lines))
                Store.Lines[key] = lines = [];
            if (lines.Contains((batch.FirstSequence, batch.LastSequence)))
                return;
            foreach (var (first, last) in lines)
            {
                if (first <= batch.LastSequence && batch.FirstSequence <= last)
                    throw new SimulationInvariantException("lines-kept-once", $"lease {batch.Lease} attempt {batch.Attempt}: lines {batch.FirstSequence}-{batch.LastSequence} overlap stored lines {first}-{last}");
            }

            lines.Add((batch.FirstSequence, batch.LastSequence));
        }, () => c.Acknowledge(hostId, batch.Key));
    }
}
