namespace Gpunet.Core.Sanctions;

/// <summary>A sanctions list file that cannot be read; <see cref="File"/> and <see cref="Line"/> say where.</summary>
public sealed class SanctionsListException : FormatException
{
    public SanctionsListException()
        : this("invalid sanctions list")
    {
    }

    public SanctionsListException(string message)
        : base(message)
    {
        File = string.Empty;
    }

    public SanctionsListException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
    }

    /// <summary>Creates the exception for line <paramref name="line"/> of <paramref name="file"/>; the message is prefixed with both.</summary>
    public SanctionsListException(string file, int line, string problem)
        : base($"{file} line {line}: {problem}")
    {
        File = file;
        Line = line;
    }

    /// <summary>Which file: <c>sdn</c> or <c>alt</c>.</summary>
    public string File { get; }

    /// <summary>The 1-based line where the bad record starts.</summary>
    public int Line { get; }
}
