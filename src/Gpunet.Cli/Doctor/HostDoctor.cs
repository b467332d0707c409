namespace Gpunet.Cli.Doctor;

/// <summary>Checks a host before its agent joins: asks the probes, and lets each check's rule judge what they saw.</summary>
internal static class HostDoctor
{
    public static async Task<DoctorReport> ExamineAsync(DoctorRequest request, DoctorProbes probes, CancellationToken ct)
    {
        var checks = new List<DoctorCheck>();

        var query = await probes.Commands.RunAsync(request.NvidiaSmi, GpuCheck.QueryArguments, ct);
        // The CUDA version is only in the plain banner; asked only of a driver that answered the query.
        var banner = query is { ExitCode: 0 } ? await probes.Commands.RunAsync(request.NvidiaSmi, [], ct) : null;
        checks.Add(GpuCheck.Evaluate(request.NvidiaSmi, query, banner));

        if (request.Coordinator is { } coordinator)
        {
            var answer = await probes.Coordinator.AskAsync(coordinator, ct);
            checks.Add(CoordinatorCheck.Evaluate(coordinator, answer));
            checks.Add(ClockCheck.AgainstCoordinator(coordinator, answer));
        }
        else
        {
            checks.Add(ClockCheck.FromTimedatectl(await probes.Commands.RunAsync("timedatectl", ["show"], ct)));
        }

        checks.Add(PortCheck.Probe(request.ProbePort, request.ProbePort == 0 || probes.Ports.IsFree(request.ProbePort)));
        var range = request.LeasePorts;
        checks.Add(PortCheck.Lease(range, [.. Enumerable.Range(range.First, range.Count).Where(p => !probes.Ports.IsFree(p))]));

        checks.Add(DiskCheck.Evaluate(request.WorkDirectory, probes.Disk.FreeBytes(request.WorkDirectory)));

        var docker = await probes.Docker.InspectAsync(ct);
        var sandbox = probes.Sandbox.Inspect();
        checks.Add(DockerCheck.Evaluate(docker, sandbox.Unavailable is null));
        checks.Add(SandboxCheck.Evaluate(sandbox, docker.Reachable));
        return new DoctorReport(checks);
    }
}
