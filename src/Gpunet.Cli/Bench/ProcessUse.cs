using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Runtime;
using System.Text.Json.Serialization;

namespace Gpunet.Cli.Bench;

/// <summary>What this process spends over a phase of a benchmark: processor time, garbage collections and the time the
/// runtime was paused for them (the longest pause is what a latency percentile feels), and its memory at the end.</summary>
/// <remarks>CPU seconds tell a figure's cost apart from the machine's load: wall time on a shared machine varies with
/// what else runs, the processor time a phase took much less. Pauses are read from the runtime's own GC events.</remarks>
internal sealed class ProcessUse : EventListener
{
    // The runtime's event source and its GC keyword; events 9 (suspend begins) and 3 (restart ends) bound a pause.
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int SuspendBegin = 9;
    private const int RestartEnd = 3;

    private readonly Lock _lock = new();
    private TimeSpan _cpu;
    private int _gen0, _gen1, _gen2;
    private TimeSpan _paused;
    private long _jitMethods;
    private TimeSpan _jitTime;
    private long _suspendedAt;
    private double _longestMs;
    private bool _stopped;

    private ProcessUse() => Restart();

    /// <summary>Starts measuring now.</summary>
    public static ProcessUse Start() => new();

    /// <summary>The figures of the last <see cref="Stop"/>; null before it.</summary>
    public ProcessUseResult? Result { get; private set; }

    /// <summary>The longest pause seen so far (events arrive up to a second after the pause).</summary>
    internal double LongestPauseMs
    {
        get
        {
            lock (_lock)
                return _longestMs;
        }
    }

    /// <summary>Starts over from now (after a warm-up).</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _cpu = Process.GetCurrentProcess().TotalProcessorTime;
            (_gen0, _gen1, _gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            _paused = GC.GetTotalPauseDuration();
            (_jitMethods, _jitTime) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
            _longestMs = 0;
            _stopped = false;
        }
    }

    /// <summary>Stops measuring and returns the figures since the start.</summary>
    public ProcessUseResult Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            using var process = Process.GetCurrentProcess();
            Result = new ProcessUseResult(
                Math.Round((process.TotalProcessorTime - _cpu).TotalSeconds, 2),
                GC.CollectionCount(0) - _gen0, GC.CollectionCount(1) - _gen1, GC.CollectionCount(2) - _gen2,
                Math.Round((GC.GetTotalPauseDuration() - _paused).TotalMilliseconds, 1), Math.Round(_longestMs, 1),
                process.WorkingSet64 / (1024 * 1024), GC.GetTotalMemory(forceFullCollection: false) / (1024 * 1024),
                JitInfo.GetCompiledMethodCount() - _jitMethods, Math.Round((JitInfo.GetCompilationTime() - _jitTime).TotalMilliseconds));
        }

        Dispose();
        return Result;
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        // The events reach a listener in batches, up to a second after the runtime wrote them: each carries its own time.
        if (e.EventId == SuspendBegin)
        {
            Volatile.Write(ref _suspendedAt, e.TimeStamp.Ticks);
        }
        else if (e.EventId == RestartEnd && Interlocked.Exchange(ref _suspendedAt, 0) is var at and > 0)
        {
            var ms = TimeSpan.FromTicks(e.TimeStamp.Ticks - at).TotalMilliseconds;
            lock (_lock)
            {
                if (!_stopped && ms > _longestMs)
                    _longestMs = ms;
            }
        }
    }
}

/// <summary>The figures of one <see cref="ProcessUse"/> phase.</summary>
/// <param name="CpuSeconds">Processor time of every thread of the process (coordinator and agents alike).</param>
/// <param name="PauseMs">Total time the runtime was paused for garbage collection.</param>
/// <param name="LongestPauseMs">The longest of those pauses.</param>
/// <param name="WorkingSetMb">Resident memory at the end.</param>
/// <param name="ManagedHeapMb">Managed heap in use at the end (without a collection first).</param>
/// <param name="JitMethods">Methods the JIT compiled (a process just started compiles its code, then recompiles what
/// turns hot, on a background thread, for tens of seconds).</param>
/// <param name="JitMs">The time those compilations took, on whichever threads.</param>
/// <remarks>Named in the JSON as the heartbeat benchmark always named them, whatever the serializer's options.</remarks>
internal sealed record ProcessUseResult(
    [property: JsonPropertyName("cpuSeconds")] double CpuSeconds,
    [property: JsonPropertyName("gen0")] int Gen0,
    [property: JsonPropertyName("gen1")] int Gen1,
    [property: JsonPropertyName("gen2")] int Gen2,
    [property: JsonPropertyName("pauseMs")] double PauseMs,
    [property: JsonPropertyName("longestPauseMs")] double LongestPauseMs,
    [property: JsonPropertyName("workingSetMb")] long WorkingSetMb,
    [property: JsonPropertyName("managedHeapMb")] long ManagedHeapMb,
    [property: JsonPropertyName("jitMethods")] long JitMethods,
    [property: JsonPropertyName("jitMs")] double JitMs);
