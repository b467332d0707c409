using Gpunet.Checker;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Checker;

/// <summary>A checker node on its real gRPC stream to a coordinator's checker link: admitted, assigned, reporting; and
/// refused for want of a licence until the operator grants one.</summary>
public sealed class CheckerNodeTests
{
    private const string Network = "test";

    [Fact]
    public async Task Node_Admitted_ProbesItsAssignmentAndSendsASignedReport()
    {
        var wallet = Wallet.Create();
        var link = new FakeCheckerLink(Network);
        var assignment = new Assignment
        {
            CheckId = "chk-7",
            Kind = CheckKind.Liveness,
            HostId = "h-7",
            DeadlineUnixMs = TimeProvider.System.GetUtcNow().AddMinutes(1).ToUnixTimeMilliseconds(),
            Checkers = { wallet.Address.Value },
        };
        await using var host = await GrpcTestServer.StartAsync(new TestHostProbe(new FakeTimeProvider(), Network, assignment));
        assignment.ProbeEndpoint = host.GrpcUrl;
        link.Assignments.Enqueue(assignment);
        await using var coordinator = await GrpcTestServer.StartAsync(link);
        var observer = new RecordingObserver();
        using var node = new CheckerNode(new CheckerOptions { Coordinator = new Uri(coordinator.RestUrl) }, wallet, TimeProvider.System,
            NullLogger.Instance, observer);
        using var stop = new CancellationTokenSource();
        var run = node.RunAsync(stop.Token);

        var report = await Eventually.Async(() => Task.FromResult(link.Reports.TryPeek(out var r) ? r : null), _ => true, "a report");
        await Eventually.Async(() => Task.FromResult<string?>(string.Join(", ", observer.Events)), e => e.Contains("ack chk-7 True", StringComparison.Ordinal),
            "the coordinator's acknowledgement");
        await stop.CancelAsync();
        await run;

        Assert.True(report.Passed, report.Reason);
        Assert.True(report.RoundTripUs > 0);
        var text = new CheckReportStatement("chk-7", "h-7", CheckKind.Liveness, true, report.RoundTripUs, 0, [])
            .ToCanonical(Network, wallet.Address, DateTimeOffset.FromUnixTimeSeconds(report.SignedAtUnixSeconds));
        Assert.True(((ISignatureScheme)Secp256k1SignatureScheme.Instance).Verify(text, report.Signature));
        Assert.Equal(["admitted test", "report chk-7 pass", "ack chk-7 True"], observer.Events.Take(3));
        Assert.True(link.Heartbeats > 0);
    }

    [Fact]
    public async Task Node_NotLicensed_SaysSoAndIsAdmittedOnceTheLicenceIsGranted()
    {
        var wallet = Wallet.Create();
        var link = new FakeCheckerLink(Network) { Licensed = false };
        await using var coordinator = await GrpcTestServer.StartAsync(link);
        var observer = new RecordingObserver();
        using var node = new CheckerNode(new CheckerOptions
        {
            Coordinator = new Uri(coordinator.RestUrl),
            LicenceRetryDelay = TimeSpan.FromMilliseconds(100),
        }, wallet, TimeProvider.System, NullLogger.Instance, observer);
        using var stop = new CancellationTokenSource();
        var run = node.RunAsync(stop.Token);

        var refused = await Eventually.Async(() => Task.FromResult(observer.Events.FirstOrDefault()), _ => true, "a refusal");
        Assert.Equal($"not licensed: {wallet.Address.Value} holds no checker licence", refused);
        link.Licensed = true;
        await Eventually.Async(() => Task.FromResult<string?>(string.Join(", ", observer.Events)), e => e.Contains("admitted test", StringComparison.Ordinal),
            "admission after the grant");
        await stop.CancelAsync();
        await run;
    }
}
