using System.Globalization;
using Gpunet.Coordinator.Auth;

namespace Gpunet.Cli.Doctor;

/// <summary>This host's clock: against the coordinator's (its HTTP <c>Date</c>) when one is named, else whether NTP
/// keeps it (<c>timedatectl show</c>).</summary>
/// <remarks>Every registration and sign-in the agent signs carries its clock's time, and the coordinator refuses one
/// further off than <see cref="AccessOptions.MaxClockSkew"/>.</remarks>
internal static class ClockCheck
{
    public const string Name = "clock";

    /// <summary>How far off a signed message is refused: the coordinator's default <see cref="AccessOptions.MaxClockSkew"/>.</summary>
    public static TimeSpan Refused { get; } = new AccessOptions().MaxClockSkew;

    /// <summary>How far off a clock is taken to be unkept: NTP holds one within milliseconds, so seconds off mean it
    /// drifts, towards <see cref="Refused"/>.</summary>
    public static TimeSpan Drifting { get; } = TimeSpan.FromSeconds(2);

    // An HTTP Date has whole seconds, truncated: the coordinator's clock read between Date and Date + 1 s.
    private static readonly TimeSpan DateResolution = TimeSpan.FromSeconds(1);

    private const string TurnOnNtp = "turn on NTP: timedatectl set-ntp true (or install chrony), then run gpunet doctor again";

    /// <summary>Compares this clock with the coordinator's, allowing for the Date header's resolution and the round trip.</summary>
    public static DoctorCheck AgainstCoordinator(Uri coordinator, CoordinatorAnswer answer)
    {
        if (answer.Date is not { } date)
        {
            return DoctorCheck.Warn(Name, $"not compared: {coordinator} {(answer.Error is null ? "sent no Date header" : "did not answer")}",
                "run gpunet doctor again once the coordinator answers");
        }

        var roundTrip = answer.ReceivedAt - answer.SentAt;
        var here = answer.SentAt + roundTrip / 2;
        var offset = here - (date + DateResolution / 2);
        var uncertainty = DateResolution / 2 + roundTrip / 2;
        var atLeast = offset.Duration() - uncertainty;
        var direction = offset > TimeSpan.Zero ? "ahead of" : "behind";
        if (atLeast > Refused)
        {
            return DoctorCheck.Fail(Name, $"{Seconds(offset.Duration())} s {direction} the coordinator's; it refuses signed messages more than {Seconds(Refused)} s off",
                TurnOnNtp);
        }

        if (atLeast > Drifting)
            return DoctorCheck.Warn(Name, $"{Seconds(offset.Duration())} s {direction} the coordinator's: not kept by NTP", TurnOnNtp);
        return DoctorCheck.Ok(Name, $"within {Seconds(offset.Duration() + uncertainty)} s of the coordinator's");
    }

    /// <summary>Reads <c>timedatectl show</c> (<c>NTP=yes</c>, <c>NTPSynchronized=yes</c>, <c>CanNTP=yes</c>).</summary>
    /// <param name="timedatectl">Its output; null when it is not installed.</param>
    public static DoctorCheck FromTimedatectl(CommandOutput? timedatectl)
    {
        const string Compare = "pass --coordinator URL to compare this clock with the coordinator's";
        if (timedatectl is null)
            return DoctorCheck.Warn(Name, "not checked: timedatectl is not available to tell whether NTP keeps this clock", Compare);
        if (timedatectl.ExitCode != 0)
            return DoctorCheck.Warn(Name, $"not checked: timedatectl failed ({timedatectl.FirstLine})", Compare);

        var values = timedatectl.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        bool Yes(string key) => values.TryGetValue(key, out var v) && v == "yes";
        if (Yes("NTPSynchronized"))
            return DoctorCheck.Ok(Name, "synchronized by NTP (timedatectl)");
        if (Yes("NTP"))
        {
            return DoctorCheck.Warn(Name, "NTP is on but has not synchronized the clock yet",
                "wait a minute and run gpunet doctor again; if it stays so, check that NTP (UDP port 123) is reachable: timedatectl timesync-status");
        }

        return values.TryGetValue("CanNTP", out var can) && can == "no"
            ? DoctorCheck.Warn(Name, "no NTP service keeps this clock", "install one (Debian: apt-get install systemd-timesyncd, or chrony)")
            : DoctorCheck.Warn(Name, "NTP is off: this clock drifts", TurnOnNtp);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
