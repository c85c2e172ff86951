using Coaching.Sessions;
using Microsoft.Extensions.Configuration;

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

    [Theory]
    [InlineData(null, 90)]
    [InlineData("P7D", 7)]
    public void Reads_its_section(string? configured, int days)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(configured is null ? [] : [new("Coaching:SessionLists:KeepClosedFor", configured)])
            .Build();

        Assert.Equal(TimeSpan.FromDays(days), SessionListRetention.From(configuration).KeepClosedFor);
    }

    [Theory]
    [InlineData("PT0S")]
    [InlineData("-P1D")]
    [InlineData("soon")]
    public void A_bad_setting_stops_start_up(string configured)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Coaching:SessionLists:KeepClosedFor", configured)])
            .Build();

        Assert.Throws<InvalidOperationException>(() => SessionListRetention.From(configuration));
    }
}
