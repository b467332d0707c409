using System.Globalization;
using System.Text.Json;
using Gpunet.Cli.Client;
using Spectre.Console;

namespace Gpunet.Cli.Commands;

/// <summary>Shared output helpers: colours per state, JSON printing, relative times.</summary>
internal static class Render
{
    public static string State(string state) => state switch
    {
        "Ready" => "[green]Ready[/]",
        "Pending" => "[blue]Pending[/]",
        "Suspect" => "[yellow]Suspect[/]",
        "Offline" => "[red]Offline[/]",
        _ => Markup.Escape(state),
    };

    public static void Json<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, CoordinatorClient.Json));

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is null)
            return "never";
        var d = now - at.Value;
        if (d < TimeSpan.Zero)
            d = TimeSpan.Zero;
        return d.TotalSeconds < 60 ? $"{d.TotalSeconds:0}s ago"
            : d.TotalMinutes < 60 ? $"{d.TotalMinutes:0}m ago"
            : d.TotalHours < 48 ? $"{d.TotalHours:0}h ago"
            : $"{d.TotalDays:0}d ago";
    }

    public static string Usd(decimal v) => "$" + v.ToString("0.00##", CultureInfo.InvariantCulture);
}
