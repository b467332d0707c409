using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gpunet.Core.Ledger;

/// <summary>Writes a <see cref="TokenAmount"/> as its token string (<c>"1.5"</c>) and reads it back.</summary>
public sealed class TokenAmountJsonConverter : JsonConverter<TokenAmount>
{
    public override TokenAmount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("a token amount is a string such as \"1.5\"");
        return TokenAmount.TryParse(reader.GetString(), out var amount, out var error) ? amount : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, TokenAmount value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
