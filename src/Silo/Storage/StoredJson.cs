using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coaching.Silo.Storage;

/// <summary>
/// How records of our own tables are written as JSON: camelCase, enums by name. Reading is case-insensitive and takes
/// enums as numbers too, so it also reads what the grain state serializer wrote (PascalCase, enums as numbers) when
/// rows move here from grain state.
/// </summary>
internal static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a stored record; a stored JSON null is a fault of the row.</summary>
    public static T Read<T>(string json) where T : class =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidOperationException($"An empty {typeof(T).Name} was stored.");
}
