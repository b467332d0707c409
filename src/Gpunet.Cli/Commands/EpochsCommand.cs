using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet epochs</c>: settled epochs, newest first, and what moved in each.</summary>
internal sealed class EpochsCommand : AsyncCommand<EpochsCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--limit <N>")]
        [Description("Epochs to show, 1 to 1000. Default 30")]
        public int Limit { get; init; } = 30;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 1000 ? ValidationResult.Error("--limit: 1 to 1000") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var epochs = await client.GetAsync<List<EpochView>>($"/api/v1/epochs?limit={settings.Limit}", cancellationToken);
        if (settings.Json)
        {
            Render.Json(epochs);
            return 0;
        }

        if (epochs.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no epoch settled yet[/]");
            return 0;
        }

        // Eight columns fit an 80-column terminal; --json has every total.
        var t = new Table().RoundedBorder();
        t.AddColumns("epoch", "ended (UTC)", "fees", "protocol", "rewards", "slashed", "refunds", "vested");
        foreach (var e in epochs)
        {
            var x = e.Totals;
            t.AddRow(e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{e.End.UtcDateTime:MM-dd HH:mm:ss}", x.Fees.ToString(),
                x.ProtocolFees.ToString(), (x.CapacityRewards + x.DeliveryRewards + x.CheckerRewards).ToString(), x.Slashed.ToString(),
                x.Refunds.ToString(), x.VestingReleased.ToString());
        }

        AnsiConsole.Write(t);
        return 0;
    }
}
