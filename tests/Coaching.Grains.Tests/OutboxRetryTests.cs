using Coaching.Assessments;
using Coaching.Inbox;
using Coaching.Notifications;
using Coaching.Directory;
using Coaching.Sessions;

namespace Coaching.Grains.Tests;

/// <summary>
/// Effects are stored with the transition and retried until done: a downstream grain that refuses them at first gets
/// them once it is back and time has moved on, exactly once, and a read of the grain answers meanwhile. Observed
/// only through grain interfaces (what the downstream grain receives and shows), not through how the retry works.
/// </summary>
[Collection(GrainTierCollection.Name)]
public sealed class OutboxRetryTests(GrainTier tier)
{
    /// <summary>Long enough for any retry the grains make: their timers (seconds) and their outbox reminder (one period).</summary>
    private static readonly TimeSpan RetryWithin = GrainTier.ReminderPeriod + TimeSpan.FromSeconds(5);

    public enum Downstream
    {
        /// <summary>The trainee's assessment queue, while the assessment is created (its creation call fails meanwhile).</summary>
        TraineeQueueAtCreation,

        /// <summary>The trainee's inbox, while the coach resolves the assessment.</summary>
        TraineeInboxAtResolve,
    }

    public static TheoryData<Downstream> Outages => [Downstream.TraineeQueueAtCreation, Downstream.TraineeInboxAtResolve];

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task An_assessment_gets_its_effects_out_once_the_downstream_grain_recovers_and_time_passes(Downstream down)
    {
        var floor = await new Floor(tier, "obx-" + down).SetUp();
        var grain = floor.AssessmentGrain("o1");
        var id = grain.GetPrimaryKeyString();
        var start = tier.Calls.Mark();
        Func<Task<bool>> delivered;
        Type downstream;
        string downstreamKey;
        if (down == Downstream.TraineeQueueAtCreation)
        {
            (downstream, downstreamKey) = (typeof(IAssessmentQueueGrain), AssessmentQueues.OfTrainee(floor.Trainee));
            tier.Outages.Down<IAssessmentQueueGrain>(downstreamKey);
            try
            {
                await grain.Create(floor.Assessment("o1", TimeSpan.FromDays(5)));
            }
            catch (OrleansException)
            {
                // Not answered as created while a list cannot show it; the event would be sent again.
            }

            delivered = async () => await floor.TraineeLine(id) is not null;
        }
        else
        {
            await grain.Create(floor.Assessment("o1", TimeSpan.FromDays(5)));
            Assert.Null((await grain.Start(floor.AsCoach)).Refusal);
            (downstream, downstreamKey) = (typeof(INotificationInboxGrain), floor.Trainee);
            tier.Outages.Down<INotificationInboxGrain>(downstreamKey);
            var resolved = await grain.Resolve(floor.AsCoach, new AssessmentResolution("Done.", AssessmentRating.Good, "-"));
            Assert.Null(resolved.Refusal);
            delivered = async () => await floor.Notices(floor.Trainee, NotificationType.AssessmentResolved, id) == 1;
        }

        // While the downstream grain is out, the assessment still answers reads, also from a fresh activation.
        Assert.NotNull(await grain.Get());
        await tier.Cluster.DeactivateAsync(grain);
        Assert.NotNull(await grain.Get());
        // (Nothing reached it: asking the grain itself would only be refused.)
        Assert.Empty(tier.Calls.Since(start, c => c.Interface == downstream && c.GrainKey == downstreamKey && c.Succeeded));

        tier.Outages.Up<IAssessmentQueueGrain>(downstreamKey);
        tier.Outages.Up<INotificationInboxGrain>(downstreamKey);
        var mark = tier.Calls.Mark();
        tier.Advance(RetryWithin);
        await tier.Calls.After(mark, c => c.Interface == downstream && c.GrainKey == downstreamKey && c.Succeeded, "the retried delivery");

        Assert.True(await delivered(), "the effect did not reach the recovered grain");
        var read = (await grain.Get())!;
        Assert.Equal(read.State, (await floor.TraineeLine(id))!.State);
        Assert.Equal(1, await floor.Notices(floor.Coach, NotificationType.AssessmentAssigned, id));
    }

    [Fact]
    public async Task A_suggested_session_gets_its_notification_out_once_the_coach_inbox_recovers_and_time_passes()
    {
        var floor = await new Floor(tier, "obx-session").SetUp();
        await tier.Grains.GetGrain<ICoachingAreasGrain>(ICoachingAreasGrain.Key).Put("empathy", "Empathy");
        var coach = floor.Coaches[0];
        var session = tier.Grains.GetGrain<ISuggestionGrain>(floor.Trainee + "-s1");

        var start = tier.Calls.Mark();
        tier.Outages.Down<INotificationInboxGrain>(coach);
        var outcome = await session.Suggest(floor.Supervisor, new SessionDraft(
            "Empathy on escalations", Participant.Group(floor.CoachGroup), [Participant.User(floor.Trainee)], "empathy",
            tier.Clock.GetUtcNow().AddDays(30), []));
        Assert.Null(outcome.Refusal);
        Assert.NotNull(await session.Get());
        Assert.Empty(tier.Calls.Since(start, c => c.Interface == typeof(INotificationInboxGrain) && c.GrainKey == coach && c.Succeeded));

        tier.Outages.Up<INotificationInboxGrain>(coach);
        var mark = tier.Calls.Mark();
        tier.Advance(RetryWithin);
        await tier.Calls.After(mark, c => c.Interface == typeof(INotificationInboxGrain) && c.GrainKey == coach && c.Succeeded, "the retried notification");

        Assert.Equal(1, await floor.Notices(coach, NotificationType.SessionSuggested, outcome.Session!.Id));
        Assert.Equal(1, await floor.Notices(floor.Coaches[1], NotificationType.SessionSuggested, outcome.Session.Id));
    }
}
