using System.Globalization;

namespace Coaching.Lists;

/// <summary>
/// Where a page of a list ends, for every list that runs newest first (assessment queues, session lists): the last
/// item's creation time in ticks and its id, written <c>{ticks}.{id}</c>. The next page holds the items that sort
/// after it: created earlier, or at the same tick with a lower id (ordinal).
/// </summary>
public readonly record struct ListCursor(long CreatedTicks, string Id)
{
    public static ListCursor After(DateTimeOffset createdAt, string id) => new(createdAt.UtcTicks, id);

    /// <summary>Whether an item created at <paramref name="createdAt"/> with <paramref name="id"/> comes after this cursor.</summary>
    public bool Precedes(DateTimeOffset createdAt, string id) => Precedes(createdAt.UtcTicks, id);

    public bool Precedes(long createdTicks, string id) =>
        createdTicks < CreatedTicks || (createdTicks == CreatedTicks && string.CompareOrdinal(id, Id) < 0);

    public override string ToString() => CreatedTicks.ToString(CultureInfo.InvariantCulture) + "." + Id;

    /// <summary>Reads a cursor this type wrote; false for anything else (absent, no dot, a sign or space, no id).</summary>
    public static bool TryRead(string? text, out ListCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1
            || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }

        cursor = new ListCursor(ticks, text[(dot + 1)..]);
        return true;
    }
}
