using System.Diagnostics.CodeAnalysis;

namespace Gpunet.Core.Query;

/// <summary>A GPU query that does not parse, with the location of the offending token.</summary>
public sealed class GpuQueryException : FormatException
{
    public GpuQueryException()
        : this("invalid GPU query")
    {
    }

    public GpuQueryException(string message)
        : this(message, string.Empty, 0, 1)
    {
    }

    public GpuQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Query = string.Empty;
        Length = 1;
    }

    /// <summary>Creates the exception for <paramref name="query"/>, pointing at <paramref name="length"/> chars from <paramref name="position"/>.</summary>
    public GpuQueryException(string message, string query, int position, int length)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Query = query;
        Position = position;
        Length = Math.Max(1, length);
    }

    /// <summary>The query text as given.</summary>
    public string Query { get; }

    /// <summary>0-based character offset of the bad token in <see cref="Query"/> (its length when input ended too soon).</summary>
    public int Position { get; }

    /// <summary>Length of the bad token, at least 1.</summary>
    public int Length { get; }

    /// <summary>Two lines: the query, then carets under the bad token.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "A caret pointer under the query, not a memory pointer.")]
    public string Pointer()
    {
        var line = string.Create(Query.Length, Query, static (span, q) =>
        {
            for (var i = 0; i < q.Length; i++)
                span[i] = char.IsControl(q[i]) ? ' ' : q[i];
        });
        return line + "\n" + new string(' ', Position) + new string('^', Length);
    }
}
