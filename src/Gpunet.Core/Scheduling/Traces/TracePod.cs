namespace Gpunet.Core.Scheduling.Traces;

/// <summary>One pod of a trace: its request and, when the file has them, its creation and deletion times.</summary>
/// <remarks>Times in the trace's own unit (seconds from the trace's start); null when the file has no time
/// columns, or for a deletion time, when the pod never leaves.</remarks>
public sealed record TracePod(string Name, PlacementRequest Request, long? CreationTime, long? DeletionTime);
