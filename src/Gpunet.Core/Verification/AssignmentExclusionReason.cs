namespace Gpunet.Core.Verification;

/// <summary>Why a known checker cannot check a host.</summary>
public enum AssignmentExclusionReason
{
    /// <summary>It is run by the host's own operator, who would be checking themselves.</summary>
    HostsOwnOperator,

    /// <summary>Its licence was revoked or never granted.</summary>
    NotLicensed,

    /// <summary>It is not connected to the coordinator.</summary>
    NotConnected,

    /// <summary>It is on the first panel of the check whose second panel is drawn (<see cref="PanelRules"/>).</summary>
    OnFirstPanel,
}
