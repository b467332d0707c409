namespace Gpunet.Core.Ledger;

/// <summary>The outcome of creating one account.</summary>
public enum CreateAccountResult
{
    /// <summary>Created.</summary>
    Ok,

    /// <summary>An account with this id and this key already exists: nothing to do.</summary>
    Exists,

    /// <summary>The id is taken by an account with another key.</summary>
    ExistsWithDifferentKey,

    /// <summary>Another account already has this key (a key names one account).</summary>
    KeyInUse,

    /// <summary>Account ids are positive.</summary>
    IdMustBePositive,

    /// <summary>The key is the default value, not one made by <see cref="AccountKey"/>'s factories.</summary>
    KeyRequired,
}
