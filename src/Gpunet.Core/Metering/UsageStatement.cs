using System.Globalization;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Metering;

/// <summary>What a host agent states about a lease's running time: the period [<see cref="FromUnixMs"/>,
/// <see cref="ToUnixMs"/>) on <see cref="Gpus"/> GPUs at <see cref="GpuMilli"/> each. The host operator signs
/// <see cref="ToCanonical"/>.</summary>
/// <remarks>Times are Unix milliseconds, UTC. <see cref="Attempt"/> is the lease's placement the report is from (from 1; a
/// lease that moves to another host is placed again), and <see cref="Sequence"/> counts that attempt's reports from 1; a
/// resent report keeps its number, so the coordinator can tell a resend from a new claim.</remarks>
public sealed record UsageStatement(
    string LeaseId,
    string HostId,
    long FromUnixMs,
    long ToUnixMs,
    int Gpus,
    int GpuMilli,
    long Sequence,
    int Attempt)
{
    /// <summary>Purpose of the signed usage text.</summary>
    public const string Purpose = "usage-report";

    /// <summary>The text the host operator signs. Throws <see cref="ArgumentException"/> on an id with a line break.</summary>
    /// <remarks>It is a <see cref="CanonicalMessage"/> like every signed message (header, purpose, network, address), with
    /// nonce <c>LEASE/ATTEMPT/SEQUENCE</c> (unique per report), timestamp the period's end, and every field on its own
    /// line, so one signature cannot be moved to another lease, attempt, period, network or operator.</remarks>
    public CanonicalMessage ToCanonical(string network, Address @operator)
    {
        var c = CultureInfo.InvariantCulture;
        return CanonicalMessage.Create(Purpose, network, @operator, LeaseId + "/" + Attempt.ToString(c) + "/" + Sequence.ToString(c),
            DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ToUnixMs, 0, 253402300799999)),
            [
                new("format", "gpunet usage report v2"),
                new("lease", LeaseId),
                new("attempt", Attempt.ToString(c)),
                new("host", HostId),
                new("from_unix_ms", FromUnixMs.ToString(c)),
                new("to_unix_ms", ToUnixMs.ToString(c)),
                new("gpus", Gpus.ToString(c)),
                new("gpu_milli", GpuMilli.ToString(c)),
                new("sequence", Sequence.ToString(c)),
            ]);
    }
}
