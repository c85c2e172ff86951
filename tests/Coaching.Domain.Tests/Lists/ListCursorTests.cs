using Coaching.Lists;

namespace Coaching.Domain.Tests.Lists;

public class ListCursorTests
{
    [Theory]
    [InlineData("638000000000000000.SES1", true)]
    [InlineData("0.a.b", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("nonsense", false)]
    [InlineData(".SES1", false)]
    [InlineData("638000000000000000.", false)]
    [InlineData("-1.SES1", false)]
    [InlineData(" 1.SES1", false)]
    [InlineData("99999999999999999999.SES1", false)]
    public void Reads_only_what_it_writes(string? text, bool read)
    {
        Assert.Equal(read, ListCursor.TryRead(text, out var cursor));
        if (read)
        {
            Assert.Equal(text, cursor.ToString());
        }
    }

    [Theory]
    // Newest first: after the cursor come items created earlier, or at the same tick with a lower id.
    [InlineData(99, "B", true)]
    [InlineData(100, "A", true)]
    [InlineData(100, "B", false)]
    [InlineData(100, "C", false)]
    [InlineData(101, "A", false)]
    public void Items_after_the_cursor_are_older_or_of_a_lower_id(long ticks, string id, bool after) =>
        Assert.Equal(after, new ListCursor(100, "B").Precedes(ticks, id));
}
