namespace Gpunet.Core.Marketplace;

/// <summary>What happens to a lease when its host is lost.</summary>
public enum RestartPolicy
{
    /// <summary>The lease ends with HostLost.</summary>
    Never,
    /// <summary><c>on-host-loss</c>: the lease is placed again on another host.</summary>
    OnHostLoss,
}
