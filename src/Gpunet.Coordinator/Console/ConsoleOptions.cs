using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Console;

/// <summary>The web console. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class ConsoleOptions
{
    /// <summary>How long a one-time sign-in link (<c>gpunet login --web</c>) may be opened. Default 2 minutes.</summary>
    public TimeSpan ConsoleLinkLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most unused sign-in links one wallet may hold; a new one past it replaces the oldest. Default 5.</summary>
    [Range(1, 100)]
    public int ConsoleLinksPerWallet { get; set; } = 5;

    /// <summary>A low-balance alert when the available balance keeps the running leases going for less than this.
    /// Default 24 hours (an on-demand lease's hold: a lease whose next hold cannot be taken is ended).</summary>
    public TimeSpan LowBalanceRunway { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a host's failed check stays an alert. Default a day.</summary>
    public TimeSpan FailedCheckAlertWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the leader looks for new alerts to send to webhooks. Default a minute.</summary>
    public TimeSpan AlertWebhookInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Alert webhooks may be http and point at private or loopback addresses (a devnet, tests). Default off: https
    /// on the public internet only, so no participant can make the coordinator call its own network.</summary>
    public bool AlertWebhooksAllowPrivate { get; set; }

    /// <summary>How often the live network view is counted again and sent to open consoles. Default 2 seconds.</summary>
    public TimeSpan AtlasInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a host operator's live page (<c>GET /console/hosts/stream</c>) looks for changes to send: its
    /// hosts' states in memory, their checks and earnings in the store. Default 2 seconds.</summary>
    public TimeSpan HostStreamInterval { get; set; } = TimeSpan.FromSeconds(2);
}
