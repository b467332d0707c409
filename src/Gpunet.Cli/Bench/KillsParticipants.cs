using System.Globalization;

namespace Gpunet.Cli.Bench;

/// <summary>What the people of <c>gpunet bench kills</c> do, through the coordinator's REST API as anyone would: the
/// operator waits for the hosts and funds everyone, each host operator stakes, the customer rents one lease per host
/// and at the end cancels them.</summary>
internal static class KillsParticipants
{
    /// <summary>Tokens the customer gets: far more than the leases' holds.</summary>
    private const decimal CustomerFunds = 1_000_000;

    /// <summary>Waits until every agent's host is registered and Ready; returns them in the agents' order.</summary>
    public static async Task<List<HostView>> ReadyHostsAsync(KillsNetwork net, IReadOnlyList<string> operatorKeys, TimeProvider time, CancellationToken ct)
    {
        var addresses = operatorKeys.Select(k => Keys.Load(k).Address.Value).ToList();
        using var admin = net.Admin();
        List<HostView> hosts = [];
        var ready = await WaitAsync(time, TimeSpan.FromSeconds(120), async () =>
        {
            if (net.AnAgentExited)
                throw new CliException("an agent process exited before its host was Ready; see its agent.log");
            var all = await admin.GetAsync<List<HostView>>("/api/v1/hosts", ct);
            hosts = [.. addresses.Select(a => all.FirstOrDefault(h => string.Equals(h.Address, a, StringComparison.OrdinalIgnoreCase))).OfType<HostView>()];
            return hosts.Count == addresses.Count && hosts.All(h => h.State == "Ready");
        }, ct);
        return ready ? hosts : throw new CliException($"the hosts were not Ready within 120 s: {string.Join(", ", hosts.Select(h => $"{h.Id} {h.State}"))}");
    }

    /// <summary>Deposits each host's required stake to its operator, who stakes it, and funds a new customer; returns
    /// the customer's key file.</summary>
    public static async Task<string> FundAsync(KillsNetwork net, IReadOnlyList<HostView> hosts, IReadOnlyList<string> operatorKeys, CancellationToken ct)
    {
        using var admin = net.Admin();
        for (var i = 0; i < hosts.Count; i++)
        {
            var h = hosts[i];
            await admin.PostAsync<TransferView>("/api/v1/wallet/deposit", new WalletRequest(h.RequiredStake, To: h.Address), ct);
            using var operatorClient = net.As(operatorKeys[i]);
            await operatorClient.PostAsync<TransferView>("/api/v1/wallet/stake", new WalletRequest(h.RequiredStake, Host: h.Id), ct);
        }

        var customerKey = Path.Combine(net.Folder, "customer.key");
        var customer = Keys.LoadOrCreate(customerKey);
        await admin.PostAsync<TransferView>("/api/v1/wallet/deposit",
            new WalletRequest(CustomerFunds.ToString(CultureInfo.InvariantCulture), To: customer.Address.Value), ct);
        return customerKey;
    }

    /// <summary>Rents one on-demand lease on each host, running <see cref="KillsMeasurement.Workload"/>, and waits
    /// until all of them run; returns their ids.</summary>
    public static async Task<List<string>> RentAsync(KillsNetwork net, string customerKey, IReadOnlyList<HostView> hosts, TimeProvider time, CancellationToken ct)
    {
        using var customer = net.As(customerKey);
        var leases = new List<string>(hosts.Count);
        foreach (var h in hosts)
        {
            var order = await customer.PostAsync<OrderView>("/api/v1/orders", new OrderRequest
            {
                Gpu = ["H100"], Count = 1, MaxPrice = 3, Host = h.Id, Command = KillsMeasurement.Workload, QueueTimeoutMinutes = 5,
            }, ct);
            leases.Add(order.LeaseId);
        }

        var states = new List<string>();
        var running = await WaitAsync(time, TimeSpan.FromSeconds(120), async () =>
        {
            states = [];
            foreach (var id in leases)
                states.Add((await customer.GetAsync<LeaseView>($"/api/v1/leases/{id}", ct)).State);
            return states.All(s => s == "Running");
        }, ct);
        return running ? leases : throw new CliException($"the leases did not all run within 120 s: {string.Join(", ", states)}");
    }

    /// <summary>Once every host is connected again, cancels every lease still running and waits until they have ended.</summary>
    public static async Task CancelAsync(KillsNetwork net, string customerKey, IReadOnlyList<string> leases, IReadOnlyList<HostView> hosts, TimeProvider time, CancellationToken ct)
    {
        using var admin = net.Admin();
        using var customer = net.As(customerKey);
        // A host heard again knows its leases still run; one not yet reconnected would get the kill on its return.
        await WaitAsync(time, TimeSpan.FromSeconds(60), async () =>
        {
            var all = await admin.GetAsync<List<HostView>>("/api/v1/hosts", ct);
            return hosts.All(h => all.Any(x => x.Id == h.Id && x.Connected));
        }, ct);
        foreach (var id in leases)
        {
            if ((await customer.GetAsync<LeaseView>($"/api/v1/leases/{id}", ct)).State == "Running")
                await customer.PostAsync<LeaseView>($"/api/v1/leases/{id}/cancel", null, ct);
        }

        var ended = await WaitAsync(time, TimeSpan.FromSeconds(60), async () =>
        {
            foreach (var id in leases)
            {
                if ((await customer.GetAsync<LeaseView>($"/api/v1/leases/{id}", ct)).State is "Pending" or "Starting" or "Running")
                    return false;
            }

            return true;
        }, ct);
        if (!ended)
            throw new CliException("the cancelled leases did not end within 60 s");
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds (true) or <paramref name="bound"/> has
    /// passed (false): a bound that only catches a hang.</summary>
    public static async Task<bool> WaitAsync(TimeProvider time, TimeSpan bound, Func<Task<bool>> condition, CancellationToken ct)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            if (await condition())
                return true;
            if (time.GetElapsedTime(start) > bound)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
        }
    }
}
