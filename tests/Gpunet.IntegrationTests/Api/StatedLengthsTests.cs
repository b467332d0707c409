using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gpunet.Contracts;
using Gpunet.Coordinator.Edge;

namespace Gpunet.IntegrationTests.Api;

/// <summary>The JSON writer holds answers to the lengths their shapes state, cutting only what is longer.</summary>
public sealed class StatedLengthsTests
{
    public sealed record Shape([property: MaxLength(8)] string Reason, [property: MaxLength(8)] string? Missing, string Free,
        [property: ItemMaxLength(4)] IReadOnlyList<string> Items, IReadOnlyList<string> FreeItems);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver().WithAddedModifier(StatedLengths.Apply),
    };

    [Fact]
    public void Write_LongerThanStated_IsCutToEndInAnEllipsis_TheRestAsItIs()
    {
        var written = JsonSerializer.SerializeToElement(new Shape("a reason too long", null, new string('f', 50), ["ok", "too long"], ["long enough"]), Json);

        Assert.Equal("a reaso…", written.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, written.GetProperty("missing").ValueKind);
        Assert.Equal(new string('f', 50), written.GetProperty("free").GetString());
        Assert.Equal(["ok", "too…"], written.GetProperty("items").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(["long enough"], written.GetProperty("freeItems").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public void Write_AtTheStatedLength_IsUnchanged()
    {
        var written = JsonSerializer.SerializeToElement(new Shape("12345678", "", "", ["1234"], []), Json);
        Assert.Equal("12345678", written.GetProperty("reason").GetString());
        Assert.Equal(["1234"], written.GetProperty("items").EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public void Cut_NeverLeavesHalfASurrogatePair()
    {
        // "abcdef" then an emoji (two UTF-16 units) across the cut: the emoji goes whole.
        var cut = Gpunet.Core.ShortText.Cut("abcdef\U0001F600xyz", 8);
        Assert.Equal("abcdef…", cut);
        Assert.True(cut.Length <= 8);
    }

    [Fact]
    public void Read_IsNotCut()
    {
        // Requests keep their own bounds (validation names the field): reading never shortens what was sent.
        var read = JsonSerializer.Deserialize<Shape>("""{"reason":"a reason too long","missing":null,"free":"","items":["too long"],"freeItems":[]}""", Json)!;
        Assert.Equal("a reason too long", read.Reason);
        Assert.Equal(["too long"], read.Items);
    }

    [Fact]
    public void ShortLists_HoldWhatTheyList()
    {
        // The atlas lists known countries and catalog models only: the document's maxItems must cover them all.
        Assert.InRange(Gpunet.Core.Geography.Countries.Codes.Count, 1, ShortLists.Countries);
        Assert.InRange(Gpunet.Core.Gpus.GpuCatalog.All.Count, 1, ShortLists.GpuModels);
        Assert.Equal(ShortLists.GpusPerHost, Gpunet.Coordinator.Hosts.HostDescriptionValidator.MaxGpusPerHost);
    }
}
