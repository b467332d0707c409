using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Marketplace;

/// <summary>What an agent reports of a lease: its word that a workload started is not lost when the lease changed in the
/// store meanwhile, and its account of an end is kept at a bounded length.</summary>
public sealed class LeaseReportTests
{
    [Fact]
    public async Task AnEndReportedAtLength_IsKeptCutToAThousandCharacters()
    {
        // A hostile host's detail would otherwise be stored whole in the lease and its history (a message may hold 4 MB).
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("long-winded");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await StartingAsync(customer, host);

        await host.ReportAsync(order.LeaseId, LeaseReport.Types.Phase.StartFailed, detail: new string('x', 10_000));

        var lease = (await customer.LeaseAsync(order.LeaseId))!;
        Assert.Equal("Failed", lease.State);
        Assert.Contains(new string('x', 999) + "…", lease.StateReason, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 1000), lease.StateReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStartReport_WhoseLeaseMovedOnInTheStoreBeforeItsSave_IsDecidedAgain_AndTheLeaseRuns()
    {
        var movesOn = new LeaseMovesOnOnce();
        await using var c = await ServiceCoordinator.StartAsync(
            services: s => s.ConfigureDbContext<GpunetDb>((_, db) => db.AddInterceptors(movesOn), ServiceLifetime.Singleton));
        await using var host = await c.ReadyHostAsync("moved-on");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await StartingAsync(customer, host);

        // Another coordinator writes the lease between the report's read and its save (as one holding it too would).
        movesOn.Arm(order.LeaseId);
        await host.ReportAsync(order.LeaseId, LeaseReport.Types.Phase.Running);

        Assert.True(movesOn.MovedOn, "the lease was not changed under the report");
        // Dropped, the lease stayed Starting, and the start deadline would have ended it as never started.
        Assert.Equal("Running", (await customer.LeaseAsync(order.LeaseId))!.State);
    }

    // An order of one GPU on `host`, placed, and its start received by the host's agent.
    private static async Task<OrderView> StartingAsync(HttpClient customer, FakeAgent host)
    {
        var order = await customer.RentAsync(ServiceCoordinator.OneGpuOn(host.HostId));
        Assert.True(order.Placed(), order.Leases[0].StateReason);
        Command start;
        do
            start = await host.NextCommandAsync();
        while (start.StartLease is null);
        return order;
    }

    // The first transaction begun once armed changes the lease's version first, inside it: the save that follows finds
    // the lease moved on since it was read.
    private sealed class LeaseMovesOnOnce : DbTransactionInterceptor
    {
        private string? _lease;
        private int _movedOn;

        public bool MovedOn => Volatile.Read(ref _movedOn) == 1;

        public void Arm(string leaseId) => Volatile.Write(ref _lease, leaseId);

        public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
            DbTransaction result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _lease, null) is { } id)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = result;
                command.CommandText = "UPDATE leases SET Version = Version + 1 WHERE Id = $id AND State = 'Starting'";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "$id";
                parameter.Value = id;
                command.Parameters.Add(parameter);
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
                    Volatile.Write(ref _movedOn, 1);
            }

            return result;
        }
    }
}
