namespace Gpunet.Core.Query;

/// <summary>How a GPU query clause compares an offer's field with its value(s).</summary>
public enum GpuQueryOperator
{
    /// <summary><c>=</c> or <c>==</c>.</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c> (numeric fields only).</summary>
    Less,

    /// <summary><c>&lt;=</c> (numeric fields only).</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c> (numeric fields only).</summary>
    Greater,

    /// <summary><c>&gt;=</c> (numeric fields only).</summary>
    GreaterOrEqual,

    /// <summary><c>in [a, b]</c>: equal to any value in the list.</summary>
    In,

    /// <summary><c>notin [a, b]</c> or <c>not in [a, b]</c>: equal to none of the values in the list.</summary>
    NotIn,
}
