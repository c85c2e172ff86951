using System.Collections.Immutable;
using Coaching.Moments;
using Coaching.Opportunities;
using Coaching.Pipeline;

namespace Coaching.Grains.Tests;

/// <summary>
/// SPEC A, prevent duplicates: within the opportunity's window after a trainee's assessment, a matching event is
/// suppressed; once the window has passed it creates again. A replay is answered with its first answer whenever it
/// comes, also after the window, when deciding it again would create.
/// </summary>
[Collection(GrainTierCollection.Name)]
public sealed class DuplicateWindowTests(GrainTier tier)
{
    private const string Sender = "svc-integration";

    [Fact]
    public async Task Events_inside_the_window_are_suppressed_after_it_they_create_and_replays_keep_their_first_answer()
    {
        var floor = await new Floor(tier, "dup").SetUp();
        var opportunity = await tier.Grains.GetGrain<IOpportunityCatalogGrain>(IOpportunityCatalogGrain.Key).Reserve();
        var saved = await tier.Grains.GetGrain<IOpportunityGrain>(opportunity).Save(new OpportunityDraft
        {
            Name = "Reassignment", Active = true, SourceTable = "dup_incident", TraineeField = "assigned_to", CoachGroup = floor.CoachGroup,
            MomentJson = """{"field":"assigned_to","operator":"changes"}""", RandomSamplePercent = 100, AssessmentDuration = "P5D",
            CloseOnExpiry = true, PreventDuplicates = true, DuplicateWindow = "P1D", Completion = Assessments.CompletionMode.Coach,
        });
        Assert.Null(saved.Refusal);

        Assert.Equal(EventOutcome.Created, await Send("e1", "INC-1"));
        tier.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        Assert.Equal(EventOutcome.SuppressedDuplicate, await Send("e2", "INC-2"));

        tier.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(EventOutcome.Created, await Send("e3", "INC-3"));
        // The suppressed event sent again after the window: its first answer, not a new decision.
        Assert.Equal(EventOutcome.SuppressedDuplicate, await Send("e2", "INC-2"));
        // And the window runs from the newest assessment.
        tier.Advance(TimeSpan.FromHours(23));
        Assert.Equal(EventOutcome.SuppressedDuplicate, await Send("e4", "INC-4"));

        async Task<EventOutcome> Send(string eventId, string recordId)
        {
            var answers = await tier.Grains.GetGrain<IEventIntakeGrain>(0).Ingest(Sender, [new IncomingEvent(
                $"{floor.Trainee}-{eventId}", "dup_incident", recordId, tier.Clock.GetUtcNow(),
                ImmutableDictionary<string, string?>.Empty.Add("assigned_to", floor.Trainee),
                ImmutableDictionary<string, string?>.Empty.Add("assigned_to", "someone-else"))]);
            return Assert.Single(Assert.Single(answers).Outcomes).Outcome;
        }
    }
}
