namespace Gpunet.Coordinator.Concurrency;

/// <summary>The log lines of <see cref="StreamSession{TMessage}"/> (a generic type cannot hold generated logging).</summary>
internal static partial class StreamSessionLog
{
    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Peer {Peer} stopped reading its stream ({Capacity} messages waiting); the session is closed")]
    public static partial void Stalled(ILogger logger, string peer, int capacity);
}
