using System.Globalization;
using System.Net.Sockets;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.Checker.Probing;

/// <summary>Runs one assignment against its host's probe endpoint and returns the checker's signed report.</summary>
/// <remarks>
/// <para>Every kind starts with <see cref="CheckerOptions.Pings"/> pings (the median round trip): liveness ends there,
/// a service check adds a timed download, a capacity check judges its timing on the smallest round trip this checker
/// has seen to the host within a day (<see cref="RoundTripHistory"/>: the pings of every kind feed it, so a host that
/// delays a capacity check's pings widens nothing once it has answered promptly before, and never past the assignment's
/// cap, <see cref="RoundTripCap"/>; <see cref="CapacityProbe"/>).
/// Any failure to reach or understand the host is a failed check with the reason.</para>
/// <para>The runner gives up a little before the assignment's deadline (a tenth of the time left, at most 2 s), so
/// that its "no answer by the deadline" report still arrives in time.</para>
/// </remarks>
internal sealed class CheckRunner(Wallet wallet, CheckerOptions options, TimeProvider time)
{
    private static readonly TimeSpan MaxReportMargin = TimeSpan.FromSeconds(2);

    // The longest wait between two probes of a check its host has not been announced yet.
    private static readonly TimeSpan MaxAnnouncementStep = TimeSpan.FromSeconds(1);

    private readonly RoundTripHistory _roundTrips = new(RoundTripHistory.DefaultWindow);

    /// <summary>The signed report on <paramref name="assignment"/>, made for <paramref name="network"/>.</summary>
    public async Task<CheckReport> RunAsync(Assignment assignment, string network, CancellationToken ct)
    {
        var report = options.Lazy ? Lazy(assignment) : await ProbeAsync(assignment, network, ct);
        return CheckReportSigner.Sign(report, assignment, network, wallet, time.GetUtcNow());
    }

    /// <summary>How long the runner may probe before it must give up and report.</summary>
    public TimeSpan TimeLeft(Assignment assignment)
    {
        var left = DateTimeOffset.FromUnixTimeMilliseconds(assignment.DeadlineUnixMs) - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
            return TimeSpan.Zero;
        var margin = left / 10 < MaxReportMargin ? left / 10 : MaxReportMargin;
        return left - margin;
    }

    private static CheckReport Lazy(Assignment assignment)
    {
        var report = new CheckReport { CheckId = assignment.CheckId, Passed = true, Reason = "pass (lazy checker: not probed)" };
        if (assignment.Kind == CheckKind.Capacity)
            report.Gpus.AddRange(CapacityProbe.PassEvery(assignment.Capacity));
        return report;
    }

    private async Task<CheckReport> ProbeAsync(Assignment assignment, string network, CancellationToken ct)
    {
        var report = new CheckReport { CheckId = assignment.CheckId };
        using var deadline = new CancellationTokenSource(TimeLeft(assignment), time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            if (!CheckKind.IsKnown(assignment.Kind))
                throw new ProbeFailedException($"unknown check kind '{assignment.Kind}'");
            using var probe = ProbeConnection.Open(assignment, wallet, network, time, options.ProbeConnectTimeout);
            var (roundTrip, smallest) = await UntilAnnouncedAsync(() => probe.RoundTripAsync(options.Pings, both.Token), both.Token);
            report.RoundTripUs = roundTrip.Ticks / TimeSpan.TicksPerMicrosecond;
            // Every kind's pings bound a later capacity check's allowance; a capacity check records its own as it
            // takes its allowance from them (RoundTripHistory.Allowance).
            if (assignment.Kind != CheckKind.Capacity)
                _roundTrips.Record(assignment.HostId, smallest, time.GetUtcNow());
            var answered = string.Create(CultureInfo.InvariantCulture,
                $"answered {options.Pings} pings, median round trip {roundTrip.TotalMilliseconds:0.###} ms");
            switch (assignment.Kind)
            {
                case CheckKind.Service:
                    report.ThroughputMbps = await probe.ThroughputMbpsAsync(options.DownloadBytes, both.Token);
                    report.Passed = true;
                    report.Reason = string.Create(CultureInfo.InvariantCulture,
                        $"{answered}; downloaded {options.DownloadBytes} bytes at {report.ThroughputMbps:0.#} Mbit/s");
                    break;
                case CheckKind.Capacity:
                    // Never more than the slowest honest round trip to the host's declared place (RoundTripCap), as
                    // the coordinator worked it out for this checker.
                    var allowance = RoundTripCap.Apply(_roundTrips.Allowance(assignment.HostId, smallest, time.GetUtcNow()),
                        assignment.AllowanceCapUs > 0 ? TimeSpan.FromMicroseconds(assignment.AllowanceCapUs) : null);
                    var finding = await CapacityProbe.RunAsync(probe, assignment.Capacity, allowance, time, both.Token);
                    report.Passed = finding.Passed;
                    report.Reason = finding.Reason;
                    report.Gpus.AddRange(finding.Gpus);
                    break;
                default:
                    report.Passed = true;
                    report.Reason = answered;
                    break;
            }

            return report;
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested
            && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled or StatusCode.DeadlineExceeded })
        {
            return Fail(report, assignment, "no answer by the deadline");
        }
        catch (ProbeFailedException e)
        {
            return Fail(report, assignment, e.Message);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            return Fail(report, assignment, Describe(e));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException && !ct.IsCancellationRequested)
        {
            return Fail(report, assignment, $"unreachable: {e.Message}");
        }
    }

    // The first probe again while the host refuses it as not announced yet (FailedPrecondition), waiting 100 ms, then
    // twice as long each time up to a second, for AnnouncementWait in all: the coordinator's announcement to the host and
    // its assignment to this checker travel apart, and on a loaded host the assignment comes first.
    private async Task<T> UntilAnnouncedAsync<T>(Func<Task<T>> probe, CancellationToken ct)
    {
        var wait = TimeSpan.FromMilliseconds(100);
        var waited = TimeSpan.Zero;
        while (true)
        {
            try
            {
                return await probe();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && waited < options.AnnouncementWait)
            {
                await Task.Delay(wait, time, ct);
                waited += wait;
                wait = wait * 2 < MaxAnnouncementStep ? wait * 2 : MaxAnnouncementStep;
            }
        }
    }

    private static CheckReport Fail(CheckReport report, Assignment assignment, string reason)
    {
        report.Passed = false;
        report.Reason = reason;
        report.ThroughputMbps = 0;
        report.Gpus.Clear();
        if (assignment.Kind == CheckKind.Capacity)
            report.Gpus.AddRange(CapacityProbe.FailEvery(assignment.Capacity, reason));
        return report;
    }

    private static string Describe(RpcException e) => e.StatusCode switch
    {
        StatusCode.Unavailable => $"unreachable: {e.Status.Detail}",
        StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.FailedPrecondition => $"the host refused the probe: {e.Status.Detail}",
        StatusCode.Unimplemented => "the endpoint is not a host probe (unimplemented)",
        _ => $"the host failed the probe ({e.StatusCode}): {e.Status.Detail}",
    };
}
