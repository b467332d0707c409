namespace Gpunet.Coordinator.Storage;

/// <summary>Times that are stored: UTC, whole milliseconds, so what the API shows before and after a restart is the same
/// on every store (SQLite's ticks encoding and PostgreSQL's microseconds both hold milliseconds exactly).</summary>
internal static class StoreTime
{
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}
