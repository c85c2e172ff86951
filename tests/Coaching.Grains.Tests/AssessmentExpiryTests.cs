using Coaching.Assessments;
using Coaching.Notifications;

namespace Coaching.Grains.Tests;

/// <summary>
/// SPEC A, expiry: due = created + duration; when due passes and it is not yet resolved or closed, it is closed as
/// expired (close-on-expiry on) or only marked overdue (off). It runs from the assessment's own one-shot reminder;
/// a tick that could not be handled is caught up by the next activation's "past due?" check.
/// </summary>
[Collection(GrainTierCollection.Name)]
public sealed class AssessmentExpiryTests(GrainTier tier)
{
    private static readonly TimeSpan Duration = TimeSpan.FromDays(3);

    public static TheoryData<string, bool, bool, AssessmentState, CloseReason?, bool, string> Rules => new()
    {
        // case, closeOnExpiry, started, then: state, close reason, overdue, last history action
        { "new-closes", true, false, AssessmentState.ClosedComplete, CloseReason.Expired, false, "expired" },
        { "started-closes", true, true, AssessmentState.ClosedComplete, CloseReason.Expired, false, "expired" },
        { "new-overdue", false, false, AssessmentState.New, null, true, "overdue" },
        { "started-overdue", false, true, AssessmentState.InProgress, null, true, "overdue" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task When_its_due_time_passes_its_reminder_closes_it_as_expired_or_marks_it_overdue_once(
        string @case, bool closeOnExpiry, bool started, AssessmentState state, CloseReason? closeReason, bool overdue, string action)
    {
        var floor = await new Floor(tier, "exp-" + @case).SetUp();
        var grain = floor.AssessmentGrain("e1");
        var created = await grain.Create(floor.Assessment("e1", Duration, closeOnExpiry));
        if (started)
        {
            Assert.Null((await grain.Start(floor.AsCoach)).Refusal);
        }

        var before = (await grain.Get())!;
        Assert.Equal(created.CreatedAt + Duration, before.DueAt);
        Assert.Contains(AssessmentGrain.ExpiryReminder, await tier.RemindersOf(grain));

        // A minute early nothing happens, even to a fresh activation's "past due?" check.
        tier.Advance(Duration - TimeSpan.FromMinutes(1));
        await tier.Cluster.DeactivateAsync(grain);
        var early = (await grain.Get())!;
        Assert.Equal((before.State, false, before.History.Count), (early.State, early.Overdue, early.History.Count));

        // Due: the reminder ticks and the rule acts, without any call to the assessment.
        var mark = tier.Calls.Mark();
        tier.Advance(TimeSpan.FromMinutes(1));
        await tier.Calls.After(mark, c => IsExpiryTick(c, grain), "the expiry reminder tick");

        var after = (await grain.Get())!;
        Assert.Equal((state, closeReason, overdue), (after.State, after.CloseReason, after.Overdue));
        var last = after.History[^1];
        Assert.Equal((action, AssessmentHistoryEntry.SystemActor, before.State), (last.Action, last.Actor, last.From));
        Assert.True(last.At >= before.DueAt, "acted before it was due");
        Assert.Equal(before.History.Count + 1, after.History.Count);
        Assert.Equal((state, overdue), await LineOf(floor, after.Id));
        var expiredNotices = closeOnExpiry ? 1 : 0;
        Assert.Equal(expiredNotices, await floor.Notices(floor.Coach, NotificationType.AssessmentExpired, after.Id));
        Assert.Equal(expiredNotices, await floor.Notices(floor.Trainee, NotificationType.AssessmentExpired, after.Id));

        // One-shot: the reminder is gone, and later time (and activations) change nothing more.
        Assert.DoesNotContain(AssessmentGrain.ExpiryReminder, await tier.RemindersOf(grain));
        tier.Advance(TimeSpan.FromDays(30));
        await tier.Cluster.DeactivateAsync(grain);
        Assert.Equal(after.History.Count, (await grain.Get())!.History.Count);
        Assert.Equal(expiredNotices, await floor.Notices(floor.Trainee, NotificationType.AssessmentExpired, after.Id));
    }

    [Fact]
    public async Task Reopened_after_expiring_its_due_time_restarts_and_it_expires_again()
    {
        var floor = await new Floor(tier, "exp-reopen").SetUp();
        var grain = floor.AssessmentGrain("e1");
        await grain.Create(floor.Assessment("e1", Duration));
        var mark = tier.Calls.Mark();
        tier.Advance(Duration);
        await tier.Calls.After(mark, c => IsExpiryTick(c, grain), "the expiry reminder tick");
        Assert.Equal(CloseReason.Expired, (await grain.Get())!.CloseReason);

        var reopened = await grain.Reopen(floor.AsTrainee);
        Assert.Null(reopened.Refusal);
        Assert.Equal(AssessmentState.InProgress, reopened.Assessment!.State);
        Assert.Equal(tier.Clock.GetUtcNow() + Duration, reopened.Assessment.DueAt);
        Assert.Contains(AssessmentGrain.ExpiryReminder, await tier.RemindersOf(grain));

        mark = tier.Calls.Mark();
        tier.Advance(Duration);
        await tier.Calls.After(mark, c => IsExpiryTick(c, grain), "the expiry reminder tick after reopening");
        var again = (await grain.Get())!;
        Assert.Equal((AssessmentState.ClosedComplete, CloseReason.Expired), (again.State, again.CloseReason));
        Assert.Equal(2, again.History.Count(h => h.Action == "expired"));
    }

    [Fact]
    public async Task A_tick_that_could_not_be_handled_is_caught_up_when_the_assessment_next_activates()
    {
        var floor = await new Floor(tier, "exp-catch-up").SetUp();
        var grain = floor.AssessmentGrain("e1");
        var created = await grain.Create(floor.Assessment("e1", Duration));

        // The tick comes while the grain cannot take it (its silo was going down, say).
        var key = created.Id;
        tier.Outages.Down<IRemindable>(key);
        var mark = tier.Calls.Mark();
        tier.Advance(Duration);
        var refused = await tier.Calls.After(mark, c => IsExpiryTick(c, grain), "the refused expiry tick");
        Assert.False(refused.Succeeded);
        tier.Outages.Up<IRemindable>(key);

        // No further tick (the clock stands still): the next activation's check alone closes it.
        await tier.Cluster.DeactivateAsync(grain);
        var read = (await grain.Get())!;
        Assert.Equal((AssessmentState.ClosedComplete, CloseReason.Expired), (read.State, read.CloseReason));
        Assert.Equal(1, await floor.Notices(floor.Coach, NotificationType.AssessmentExpired, key));
        Assert.DoesNotContain(AssessmentGrain.ExpiryReminder, await tier.RemindersOf(grain));
    }

    private static bool IsExpiryTick(HandledCall call, IAssessmentGrain grain) =>
        call.Interface == typeof(IRemindable) && call.GrainKey == grain.GetPrimaryKeyString()
        && call.FirstArgument as string == AssessmentGrain.ExpiryReminder;

    private static async Task<(AssessmentState, bool)?> LineOf(Floor floor, string id) =>
        await floor.TraineeLine(id) is { } line ? (line.State, line.Overdue) : null;
}
