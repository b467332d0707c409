using Gpunet.Core.Audit;

namespace Gpunet.Core.Tests.Audit;

/// <summary>Builds audit chains for the tests.</summary>
internal static class AuditLog
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A chain of <paramref name="count"/> screening decisions, one second apart.</summary>
    public static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            entries.Add(AuditChain.Append(
                entries.LastOrDefault(), T0.AddSeconds(i), $"0xparticipant{i % 3}", "sanctions-screening",
                $$"""{"name":"Participant {{i}}","country":"DE"}""", i % 2 == 0 ? "ofac-2026-11-20" : null, "2027-01",
                i % 4 == 0 ? "refused" : "allowed", "screener"));
        }

        return entries;
    }
}
