namespace Gpunet.Simulation;

/// <summary>Strikes one fault at a time, at random moments: the coordinator killed and restarted, an agent killed or
/// frozen, a host's network cut one way or both, a connection broken, an agent's clock jumping, the store failing or
/// slowing its writes for a spell.</summary>
internal sealed class Faults(Scheduler clock, SimRandom random, ChaosOptions options, Truth truth, SimCoordinator coordinator,
    VirtualNetwork network, IReadOnlyList<SimAgent> agents)
{
    public void Start() => clock.After(random.Exponential(options.MeanTimeBetweenFaultsMs), Strike);

    private void Strike()
    {
        var counters = truth.Counters;
        var agent = agents[random.Index(agents.Count)];
        var roll = random.Next();
        var grace = options.OfflineGraceMs;
        if (roll < 0.10)
        {
            if (coordinator.Up)
            {
                counters.CoordinatorCrashes++;
                truth.CoordinatorCrashed(clock.Now);
                coordinator.Crash();
                clock.After(random.Between(300, 15_000), () =>
                {
                    truth.CoordinatorRestarted(clock.Now);
                    coordinator.Start();
                });
            }
        }
        else if (roll < 0.22)
        {
            counters.AgentCrashes++;
            agent.Crash(random.Between(500, 30_000));
        }
        else if (roll < 0.34)
        {
            counters.AgentFreezes++;
            agent.Freeze(random.Between(300, grace * 2));
        }
        else if (roll < 0.52)
        {
            counters.Partitions++;
            var duration = random.Between(300, grace * 2);
            var way = random.Index(3);
            network.Partition(agent, up: way != 1, down: way != 0, duration);
            truth.HostFault(agent.HostId, clock.Now, clock.Now + duration + options.HeartbeatMs);
        }
        else if (roll < 0.64)
        {
            if (agent.Session is { } s)
                network.Break(s);
        }
        else if (roll < 0.72)
        {
            counters.ClockJumps++;
            agent.SkewMs = random.Between(-options.MaxSkewMs, options.MaxSkewMs);
        }
        else if (roll < 0.87)
        {
            counters.StoreFaultSpells++;
            coordinator.StoreFaults = (random.Next() * 0.3, random.Next() * 0.3);
            clock.After(random.Between(1_000, 20_000), () => coordinator.StoreFaults = (0, 0));
        }

        clock.After(random.Exponential(options.MeanTimeBetweenFaultsMs), Strike);
    }
}
