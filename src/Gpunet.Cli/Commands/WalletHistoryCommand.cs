using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet wallet history</c>: the transfers in and out of a wallet's accounts, newest first.</summary>
internal sealed class WalletHistoryCommand : AsyncCommand<WalletHistoryCommand.Settings>
{
    public sealed class Settings : ClientSettings
    {
        [CommandOption("--address <ADDRESS>")]
        [Description("Whose wallet (an operator may look at any); default your own")]
        public string? Address { get; init; }

        [CommandOption("--limit <N>")]
        [Description("Transfers to show, 1 to 1000. Default 50")]
        public int Limit { get; init; } = 50;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 1000 ? ValidationResult.Error("--limit: 1 to 1000") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings, asCustomer: true);
        var query = $"?limit={settings.Limit}" + (settings.Address is null ? "" : "&address=" + Uri.EscapeDataString(settings.Address));
        var entries = await client.GetAsync<List<HistoryView>>("/api/v1/wallet/history" + query, cancellationToken);
        if (settings.Json)
        {
            Render.Json(entries);
            return 0;
        }

        if (entries.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]no transfers yet[/]");
            return 0;
        }

        var t = new Table().RoundedBorder();
        t.AddColumns("#", "at", "what", "amount", "from", "to");
        foreach (var e in entries)
        {
            var sign = e.Amount == "0" ? "[grey]" : e.Direction switch { "in" => "[green]+", "out" => "[red]-", _ => "[grey]" };
            var what = e.Phase is null ? e.Code : $"{e.Code} ({e.Phase})";
            t.AddRow(e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{e.At:u}", Markup.Escape(what),
                $"{sign}{e.Amount}[/]", Markup.Escape(e.From), Markup.Escape(e.To));
        }

        AnsiConsole.Write(t);
        return 0;
    }
}
