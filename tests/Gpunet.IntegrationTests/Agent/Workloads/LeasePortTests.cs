using Gpunet.Agent.Workloads;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The process runtime's sessions and services: each its own host port, in <c>GPUNET_PORT</c>.</summary>
public sealed class LeasePortTests
{
    private static async Task<string> FirstLineAsync(IRunningWorkload workload)
    {
        await foreach (var line in workload.Lines.ReadAllAsync())
            return line.Text;
        return "";
    }

    [SandboxFact]
    public async Task TwoServices_GetPortsOfTheirOwn_AndAJobNone()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System) { Ports = new LeasePortRange(29410, 29419) };
        WorkloadSpec Lease(string id, bool endpoint) => new(id, ["sh", "-c", "echo port=$GPUNET_PORT; sleep 30"], []) { Endpoint = endpoint };

        await using var first = await runtime.StartAsync(Lease("lease-port-a", endpoint: true), CancellationToken.None);
        await using var second = await runtime.StartAsync(Lease("lease-port-b", endpoint: true), CancellationToken.None);
        await using var job = await runtime.StartAsync(Lease("lease-port-job", endpoint: false), CancellationToken.None);

        Assert.NotNull(first.EndpointPort);
        Assert.NotNull(second.EndpointPort);
        Assert.NotEqual(first.EndpointPort, second.EndpointPort);
        Assert.All(new[] { first.EndpointPort!.Value, second.EndpointPort!.Value }, p => Assert.InRange(p, 29410, 29419));
        Assert.Equal($"port={first.EndpointPort}", await FirstLineAsync(first));
        Assert.Equal($"port={second.EndpointPort}", await FirstLineAsync(second));
        Assert.Null(job.EndpointPort);
        Assert.Equal("port=", await FirstLineAsync(job));
    }

    [SandboxFact]
    public async Task AnEndedService_GivesItsPortBack()
    {
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System) { Ports = new LeasePortRange(29420, 29420) };
        var spec = new WorkloadSpec("lease-port-once", ["true"], []) { Endpoint = true };

        await using (var once = await runtime.StartAsync(spec, CancellationToken.None))
        {
            Assert.Equal(29420, once.EndpointPort);
            await once.Exited;
        }

        // The range holds one port: the next service gets it only because the first gave it back.
        var again = await Eventually.Async(async () =>
        {
            try
            {
                return await runtime.StartAsync(spec with { LeaseId = "lease-port-twice" }, CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }, _ => true, "the port to come back");
        await using var _ = again;
        Assert.Equal(29420, again.EndpointPort);
    }
}
