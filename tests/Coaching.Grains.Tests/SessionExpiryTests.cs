using Coaching.Notifications;
using Coaching.Directory;
using Coaching.Sessions;

namespace Coaching.Grains.Tests;

/// <summary>
/// SPEC B: a suggested session is canceled (<c>expired</c>) when its expiry time passes while it is still
/// <c>Suggested</c>; supervisor and coach are told. Durable reminder, at most <see cref="SuggestionGrain.LongestReminderWait"/>
/// at a time, so a far expiry is reached in several ticks.
/// </summary>
[Collection(GrainTierCollection.Name)]
public sealed class SessionExpiryTests(GrainTier tier)
{
    public static TheoryData<string, int> Expiries => new()
    {
        // case, days until it expires: one tick, or a re-armed reminder every 7 days first
        { "in-2-days", 2 },
        { "in-20-days", 20 },
    };

    [Theory]
    [MemberData(nameof(Expiries))]
    public async Task A_session_still_suggested_when_its_expiry_passes_is_canceled_as_expired_and_both_sides_are_told(string @case, int days)
    {
        var floor = await new Floor(tier, "ses-" + @case).SetUp();
        var session = await Suggest(floor, "s1", tier.Clock.GetUtcNow().AddDays(days));
        var expiresAt = (await session.Get())!.ExpiresAt;

        // Each early tick moves the reminder on and leaves the session as it is.
        while (expiresAt - tier.Clock.GetUtcNow() > SuggestionGrain.LongestReminderWait)
        {
            await Tick(session, SuggestionGrain.LongestReminderWait);
            var early = (await session.Get())!;
            Assert.Equal((SessionState.Suggested, 1), (early.State, early.History.Length));
            Assert.Contains(SuggestionGrain.ExpiryReminder, await tier.RemindersOf(session));
        }

        await Tick(session, expiresAt - tier.Clock.GetUtcNow());

        var expired = (await session.Get())!;
        Assert.Equal((SessionState.Canceled, CanceledBy.Expired), (expired.State, expired.CanceledBy));
        Assert.Equal(["suggested", "expired"], expired.History.Select(h => h.Action));
        Assert.True(expired.History[^1].At >= expiresAt, "expired before its time");
        Assert.Equal(1, await floor.Notices(floor.Supervisor, NotificationType.SessionExpired, expired.Id));
        foreach (var coach in floor.Coaches)
        {
            Assert.Equal(1, await floor.Notices(coach, NotificationType.SessionExpired, expired.Id));
        }

        Assert.DoesNotContain(SuggestionGrain.ExpiryReminder, await tier.RemindersOf(session));
    }

    [Fact]
    public async Task A_session_scheduled_before_its_expiry_does_not_expire()
    {
        var floor = await new Floor(tier, "ses-scheduled").SetUp();
        var session = await Suggest(floor, "s1", tier.Clock.GetUtcNow().AddDays(2));
        var scheduled = await session.Schedule(floor.Coaches[0], tier.Clock.GetUtcNow().AddDays(5), 30, new SessionChanges());
        Assert.Null(scheduled.Refusal);
        Assert.DoesNotContain(SuggestionGrain.ExpiryReminder, await tier.RemindersOf(session));

        tier.Advance(TimeSpan.FromDays(3));
        await tier.Cluster.DeactivateAsync(session);
        var read = (await session.Get())!;
        Assert.Equal(SessionState.Scheduled, read.State);
        Assert.Equal(0, await floor.Notices(floor.Supervisor, NotificationType.SessionExpired, read.Id));
    }

    private async Task<ISuggestionGrain> Suggest(Floor floor, string id, DateTimeOffset expiresAt)
    {
        await tier.Grains.GetGrain<ICoachingAreasGrain>(ICoachingAreasGrain.Key).Put("empathy", "Empathy");
        var session = tier.Grains.GetGrain<ISuggestionGrain>($"{floor.Trainee}-{id}");
        var outcome = await session.Suggest(floor.Supervisor, new SessionDraft(
            "Empathy on escalations", Participant.Group(floor.CoachGroup), [Participant.User(floor.Trainee)], "empathy", expiresAt, []));
        Assert.Null(outcome.Refusal);
        Assert.Contains(SuggestionGrain.ExpiryReminder, await tier.RemindersOf(session));
        return session;
    }

    /// <summary>Advances the clock by <paramref name="by"/> and waits until the session has handled the expiry tick that brought.</summary>
    private async Task Tick(ISuggestionGrain session, TimeSpan by)
    {
        var mark = tier.Calls.Mark();
        tier.Advance(by);
        var tick = await tier.Calls.After(mark, c => c.Interface == typeof(IRemindable) && c.GrainKey == session.GetPrimaryKeyString()
            && c.FirstArgument as string == SuggestionGrain.ExpiryReminder, "the session's expiry tick");
        Assert.True(tick.Succeeded, "the expiry tick failed");
    }
}
