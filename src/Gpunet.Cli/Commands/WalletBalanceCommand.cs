using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet wallet balance</c>: available, held, staked per host, unbonding and vesting, with their schedules.</summary>
internal sealed class WalletBalanceCommand : AsyncCommand<WalletBalanceCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--address <ADDRESS>")]
        [Description("Whose wallet (an operator may look at any); default your own")]
        public string? Address { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var query = settings.Address is null ? "" : "?address=" + Uri.EscapeDataString(settings.Address);
        var w = await client.GetAsync<WalletView>("/api/v1/wallet" + query, cancellationToken);
        if (settings.Json)
        {
            Render.Json(w);
            return 0;
        }

        var t = new Table().RoundedBorder().Title($"[bold]{Markup.Escape(w.Address)}[/]");
        t.AddColumns("available", "held for leases", "staked", "unbonding", "vesting");
        t.AddRow($"[bold]{w.Available}[/]", w.Held, w.Staked, w.Unbonding, w.Vesting);
        AnsiConsole.Write(t);
        if (w.Hosts.Count > 0)
        {
            var h = new Table().RoundedBorder().Title("stake per host");
            h.AddColumns("host", "staked", "required", "");
            foreach (var host in w.Hosts)
                h.AddRow(host.Host, host.Staked, host.Required, host.FullyStaked ? "[green]fully staked[/]" : "[yellow]not matched until fully staked[/]");
            if (w.HostsUnlisted is { } more)
                h.Caption($"and {more:N0} more hosts (staked counts them all)");
            AnsiConsole.Write(h);
        }

        if (w.UnbondingSchedule is { Count: > 0 } unbonding)
        {
            var u = new Table().RoundedBorder().Title("unbonding: available after the unbonding period");
            u.AddColumns("host", "amount", "unstaked (UTC)", "available at (UTC)");
            foreach (var e in unbonding)
                u.AddRow(e.Host, e.Amount, $"{e.Since:u}", $"{e.AvailableAt:u}");
            AnsiConsole.Write(u);
        }

        if (w.VestingSchedule is { Count: > 0 } vesting)
        {
            var v = new Table().RoundedBorder().Title("vesting: each epoch's fees and rewards, linearly");
            v.AddColumns("epoch", "amount", "vested now", "from (UTC)", "fully vested at (UTC)");
            foreach (var e in vesting)
                v.AddRow(e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Amount, e.Vested, $"{e.Start:u}", $"{e.VestedAt:u}");
            AnsiConsole.Write(v);
        }

        return 0;
    }
}
