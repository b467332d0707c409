namespace Gpunet.Simulation;

/// <summary>Customers: each places orders at random (one to four GPUs, 20 s to 10 min, half of them restartable) and
/// sometimes cancels one. An order without an answer (the coordinator was down, or its write failed) is sent again
/// with the same number until one comes; an order is accepted when its customer hears so.</summary>
internal sealed class Customers(Scheduler clock, SimRandom random, ChaosOptions options, Truth truth, SimCoordinator coordinator, VirtualNetwork network)
{
    private const long MeanOrderGapMs = 30_000;
    private const long RetryMs = 3_000;

    private readonly List<string>[] _leases = [.. Enumerable.Range(0, options.Customers).Select(_ => new List<string>())];
    private long _orders;

    public void Start()
    {
        for (var i = 0; i < options.Customers; i++)
        {
            var customer = i;
            clock.After(random.Exponential(MeanOrderGapMs), () => Next(customer));
        }
    }

    private void Next(int customer)
    {
        var gpus = (int)Math.Min(options.GpusPerHost, random.Chance(0.6) ? 1 : random.Between(2, 4));
        var order = new OrderRequest(++_orders, customer, gpus, random.Between(20_000, 600_000), random.Chance(0.5), 2.00m);
        Send(order, new Answer());
        var mine = _leases[customer];
        if (mine.Count > 0 && random.Chance(0.15))
        {
            var lease = mine[random.Index(mine.Count)];
            clock.After(network.Latency(), () =>
            {
                if (coordinator.Up)
                    coordinator.Market.Cancel(lease);
            });
        }

        clock.After(random.Exponential(MeanOrderGapMs * options.Customers / Math.Max(1, options.Hosts / 2)), () => Next(customer));
    }

    private void Send(OrderRequest order, Answer answer)
    {
        clock.After(network.Latency(), () =>
        {
            if (coordinator.Up)
            {
                coordinator.Market.PlaceOrder(order, accepted => clock.After(network.Latency(), () =>
                {
                    if (answer.Heard)
                        return;
                    answer.Heard = true;
                    if (!accepted)
                    {
                        truth.Counters.OrdersRefused++;
                        return;
                    }

                    truth.Counters.OrdersAccepted++;
                    truth.AcceptedOrders.Add(order.LeaseId);
                    _leases[order.Customer].Add(order.LeaseId);
                }));
            }
        });
        clock.After(RetryMs, () =>
        {
            if (!answer.Heard)
                Send(order, answer);
        });
    }

    private sealed class Answer
    {
        public bool Heard { get; set; }
    }
}
