using Coaching.Sessions;

namespace Coaching.Domain.Tests.Sessions;

public class SessionListRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(SessionState.Suggested, null, true)]
    [InlineData(SessionState.Scheduled, null, true)]
    [InlineData(SessionState.Completed, 89.0, true)]
    [InlineData(SessionState.Completed, 91.0, false)]
    [InlineData(SessionState.Canceled, 1.0, true)]
    [InlineData(SessionState.Canceled, 90.01, false)]
    public void Closed_sessions_leave_the_lists_after_the_retention(SessionState state, double? closedDaysAgo, bool kept)
    {
        var row = new SessionRow("s", Now.AddDays(-200), 2, state, false, "sup", [], [], closedDaysAgo is { } d ? Now.AddDays(-d) : null);

        Assert.Equal(kept, SessionListRetention.Default.Keeps(row, Now));
    }
}
