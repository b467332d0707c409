namespace Gpunet.Core.Discovery;

/// <summary>nvidia-smi output that does not have the expected shape; the message names the line and field.</summary>
public sealed class NvidiaSmiFormatException : FormatException
{
    public NvidiaSmiFormatException()
    {
    }

    public NvidiaSmiFormatException(string message)
        : base(message)
    {
    }

    public NvidiaSmiFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NvidiaSmiFormatException(int lineNumber, string field, string message)
        : base($"nvidia-smi output line {lineNumber}, field '{field}': {message}")
    {
        LineNumber = lineNumber;
        Field = field;
    }

    /// <summary>The 1-based line of the output that is wrong; 0 when not known.</summary>
    public int LineNumber { get; }

    /// <summary>The query field that is wrong (e.g. <c>memory.total</c>), or <c>line</c> for the line's shape.</summary>
    public string? Field { get; }
}
