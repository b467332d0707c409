namespace Gpunet.Core.Verification;

/// <summary>Why a capacity answer was refused.</summary>
public enum FreivaldsFailure
{
    /// <summary>Nothing: the answer is the product.</summary>
    None,

    /// <summary>The product or a row has the wrong number of entries, or the root is not 32 bytes.</summary>
    WrongSize,

    /// <summary>An entry no int8 product of this size can have (outside −16,256·n … 16,384·n).</summary>
    EntryOutOfRange,

    /// <summary>The rows opened are not the rows asked for, one each, in the order asked.</summary>
    WrongRows,

    /// <summary>An opened row, or the whole product, does not hash to the committed root.</summary>
    NotCommitted,

    /// <summary>The answer is not A·B.</summary>
    WrongProduct,
}
