namespace Gpunet.Core.Scheduling.Traces;

/// <summary>A trace file that cannot be read; the message names the file and line.</summary>
public sealed class TraceFormatException : Exception
{
    public TraceFormatException()
    {
    }

    public TraceFormatException(string message)
        : base(message)
    {
    }

    public TraceFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
