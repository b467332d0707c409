namespace Gpunet.Core.Verification;

/// <summary>What one checker reports about one check.</summary>
public enum MajorityVote
{
    /// <summary>The host passed.</summary>
    Pass,

    /// <summary>The host failed.</summary>
    Fail,
}
