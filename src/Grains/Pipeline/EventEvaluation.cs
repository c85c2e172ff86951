using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Moments;
using Coaching.Telemetry;
using Coaching.Trainees;

namespace Coaching.Pipeline;

/// <summary>One opportunity whose moment matched an event: either decided here (no trainee) or a candidate
/// for the trainee grain.</summary>
public sealed record OpportunityMatch(
    string OpportunityId,
    string? TraineeId,
    EventOutcome? Outcome,
    CoachingCandidate? Candidate)
{
    public bool HasScriptError => Candidate?.Assessment.ScriptError is not null;
}

/// <summary>
/// SPEC.md A steps 1, 2 (empty trainee) and 5 (the draw), the snapshot and the capture script: everything about
/// an event that needs no state. Pure apart from running the sandboxed script.
/// </summary>
public static class EventEvaluation
{
    /// <summary>Longest trainee id looked up; longer values cannot be a user.</summary>
    public const int MaxTraineeIdLength = 256;

    public static List<OpportunityMatch> Evaluate(OpportunityCatalogView view, string senderEventKey, IncomingEvent incoming)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(incoming);
        var matches = new List<OpportunityMatch>();
        var candidates = view.For(incoming.Table);
        if (candidates.IsEmpty)
        {
            return matches;
        }

        var fields = EventFields.From(incoming.Fields, incoming.Previous);
        foreach (var opportunity in candidates)
        {
            if (opportunity.Moment is null || !MomentEvaluator.Matches(opportunity.Moment, fields))
            {
                continue;
            }

            var definition = opportunity.Definition;
            var trainee = fields.Current.GetText(definition.TraineeField)?.Trim();
            if (FieldText.IsEmpty(trainee))
            {
                matches.Add(new OpportunityMatch(opportunity.Id, null, EventOutcome.NoTrainee, null));
                continue;
            }

            if (trainee!.Length > MaxTraineeIdLength)
            {
                matches.Add(new OpportunityMatch(opportunity.Id, trainee, EventOutcome.UnknownTrainee, null));
                continue;
            }

            var sampledIn = Sampling.Passes(opportunity.Id, incoming.EventId, definition.RandomSamplePercent, opportunity.AlwaysCoach.Contains(trainee));
            var snapshot = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
            string? scriptError = opportunity.ScriptProblem;
            if (sampledIn)
            {
                foreach (var name in definition.SnapshotFields)
                {
                    snapshot[name] = fields.Current.GetText(name);
                }

                if (opportunity.Script is { } script)
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    var result = script.Run(fields);
                    CoachingMetrics.ScriptTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (result.Succeeded)
                    {
                        foreach (var (name, value) in result.Values)
                        {
                            snapshot[name] = value;
                        }
                    }
                    else
                    {
                        scriptError = result.Error;
                        CoachingMetrics.ScriptErrors.Add(1);
                    }
                }
            }

            var assessment = new NewAssessment(
                opportunity.Id,
                opportunity.Opportunity.Version,
                trainee,
                definition.CoachGroup,
                new AssessmentSource(incoming.Table, incoming.RecordId, incoming.EventId),
                default,
                definition.AssessmentDuration,
                definition.CloseOnExpiry,
                definition.Completion,
                snapshot.ToImmutable(),
                scriptError,
                definition.VirtualCoachItems,
                definition.RecommendedLearnings,
                definition.TraineeSurvey,
                definition.CoachSurvey);
            var candidate = new CoachingCandidate(
                senderEventKey, opportunity.Id, definition.TraineeGroup, definition.PreventDuplicates, definition.DuplicateWindow, sampledIn, assessment);
            matches.Add(new OpportunityMatch(opportunity.Id, trainee, null, candidate));
        }

        return matches;
    }
}
