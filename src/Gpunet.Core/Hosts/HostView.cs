namespace Gpunet.Core.Hosts;

/// <summary>What the health policy derived about one host in one evaluation.</summary>
/// <param name="Silence">Time since the host was last heard from, counted from no earlier than the monitor's start.</param>
/// <param name="CountedFromStart">True when the silence is counted from the monitor's start (or the end of a mass silence), not from the host's last sign.</param>
/// <param name="HeardSinceStateChange">True when a heartbeat arrived after the host entered its state.</param>
/// <param name="Unhealthy">True when the host counts against its zone's health.</param>
internal readonly record struct HostView(TimeSpan Silence, bool CountedFromStart, bool HeardSinceStateChange, bool Unhealthy);
