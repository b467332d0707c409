namespace Gpunet.Core.Query;

/// <summary>The lexical class of a GPU query token.</summary>
internal enum GpuQueryTokenKind
{
    Word,
    Quoted,
    Operator,
    OpenBracket,
    CloseBracket,
    Comma,
    AndAnd,
    End,
}
