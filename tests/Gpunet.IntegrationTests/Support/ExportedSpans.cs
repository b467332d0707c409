using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Gpunet.IntegrationTests.Support;

/// <summary>Spans an in-memory exporter collected, safe to read while spans are still being exported; the tests of one
/// trace read only its spans (other tests of the process may be traced meanwhile).</summary>
internal sealed class ExportedSpans : Collection<Activity>
{
    private readonly Lock _lock = new();

    /// <summary>The spans of <paramref name="trace"/> exported so far.</summary>
    public List<Activity> Of(ActivityTraceId trace)
    {
        lock (_lock)
            return [.. this.Where(a => a.TraceId == trace)];
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (_lock)
            base.InsertItem(index, item);
    }
}
