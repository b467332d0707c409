namespace Gpunet.Core.Query;

/// <summary>One token of a GPU query: its kind, its text (a quoted string's contents), and where it sits in the query.</summary>
internal readonly record struct GpuQueryToken(GpuQueryTokenKind Kind, string Text, int Position, int Length)
{
    public bool IsKeyword(string keyword) =>
        Kind == GpuQueryTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
}
