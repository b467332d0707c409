using Gpunet.Protocol;

namespace Gpunet.Checker;

/// <summary>What a checker node tells whoever runs it (the CLI prints it), beside its log.</summary>
/// <remarks>Called from the node's own tasks, possibly at once from several checks; implementations must be
/// thread-safe and quick.</remarks>
public interface ICheckerObserver
{
    /// <summary>The coordinator admitted the checker on <paramref name="network"/>.</summary>
    void Admitted(string network) { }

    /// <summary>The coordinator refused the checker for want of a licence; it asks again after <paramref name="retryIn"/>.</summary>
    void NotLicensed(string reason, TimeSpan retryIn) { }

    /// <summary>A signed report is ready to be sent for <paramref name="assignment"/>.</summary>
    void Reported(Assignment assignment, CheckReport report) { }

    /// <summary>The coordinator answered a report.</summary>
    void Acknowledged(ReportAck ack) { }
}
