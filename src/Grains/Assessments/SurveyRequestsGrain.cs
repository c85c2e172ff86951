using System.Collections.Immutable;
using Coaching.Inbox;

namespace Coaching.Assessments;

[GenerateSerializer, Alias("coaching.survey-requests-state")]
public sealed class SurveyRequestsState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public List<SurveyRequestView> Requests { get; set; } = [];
}

/// <summary>The survey requests of one respondent (key: user id); answers go back to their assessment.</summary>
public sealed class SurveyRequestsGrain(
    [PersistentState("survey-requests", StorageNames.Coaching)] IPersistentState<SurveyRequestsState> requests,
    TimeProvider clock)
    : Grain, ISurveyRequestsGrain
{
    public const int MaxPage = 200;

    private string RespondentId => this.GetPrimaryKeyString();

    public async Task Send(SurveyRequest request, SurveyDefinition survey, string aboutName)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(survey);
        if (!requests.State.Requests.Exists(r => r.Request.Id == request.Id))
        {
            requests.State.Requests.Add(new SurveyRequestView(request, survey));
            await requests.WriteStateAsync();
        }

        // Delivered after the request is stored, under the request's id: a retried send notifies once.
        var notice = AssessmentNotices.SurveyRequested(request, survey.Name, aboutName);
        await GrainFactory.GetGrain<INotificationInboxGrain>(RespondentId)
            .Deliver(new NotificationDraft($"{request.Id}:survey-requested", notice.Type, notice.Text, notice.Subject));
    }

    public Task<SurveyRequestPage> List(bool pendingOnly, int limit, string? cursor)
    {
        limit = Math.Clamp(limit, 1, MaxPage);
        // Newest first; the cursor is the position (from the oldest) of the last item of the previous page.
        var start = int.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var after)
            ? Math.Min(after, requests.State.Requests.Count)
            : requests.State.Requests.Count;
        var items = new List<(int Position, SurveyRequestView View)>();
        for (var i = start - 1; i >= 0 && items.Count <= limit; i--)
        {
            var view = requests.State.Requests[i];
            if (!pendingOnly || view.Request.AnsweredAt is null)
            {
                items.Add((i, view));
            }
        }

        var next = items.Count > limit ? items[limit - 1].Position.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new SurveyRequestPage([.. items.Take(limit).Select(i => i.View)], next));
    }

    public async Task<SurveyAnswerResult> Answer(string requestId, ImmutableDictionary<string, SurveyAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var index = requests.State.Requests.FindIndex(r => r.Request.Id == requestId);
        if (index < 0)
        {
            return new SurveyAnswerResult(null, null);
        }

        var view = requests.State.Requests[index];
        var (answered, refusal) = SurveyResponses.Answer(view.Request, view.Survey, RespondentId, answers, clock.GetUtcNow());
        if (refusal is not null)
        {
            return new SurveyAnswerResult(view.Request, refusal, view.Survey);
        }

        // The rating goes onto the assessment first (idempotent); only then is the answer kept, so a failure in
        // between leaves the request open for a retry instead of an answer whose rating never arrived.
        await GrainFactory.GetGrain<IAssessmentGrain>(answered.AssessmentId).ApplySurveyResponse(answered);
        requests.State.Requests[index] = view with { Request = answered };
        await requests.WriteStateAsync();
        return new SurveyAnswerResult(answered, null, view.Survey);
    }
}
