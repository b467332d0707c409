using System.Collections.Concurrent;
using Gpunet.Checker;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Checker;

/// <summary>Keeps what a checker node told its runner, in order.</summary>
internal sealed class RecordingObserver : ICheckerObserver
{
    public ConcurrentQueue<string> Events { get; } = new();

    public void Admitted(string network) => Events.Enqueue("admitted " + network);

    public void NotLicensed(string reason, TimeSpan retryIn) => Events.Enqueue("not licensed: " + reason);

    public void Reported(Assignment assignment, CheckReport report) => Events.Enqueue($"report {report.CheckId} {(report.Passed ? "pass" : "fail")}");

    public void Acknowledged(ReportAck ack) => Events.Enqueue($"ack {ack.CheckId} {ack.Accepted}");
}
