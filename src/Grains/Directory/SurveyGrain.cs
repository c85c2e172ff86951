using System.Collections.Immutable;
using Coaching.Assessments;

namespace Coaching.Directory;

[GenerateSerializer, Alias("coaching.survey-state")]
public sealed class SurveyState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public List<SurveyQuestion> Questions { get; set; } = [];
}

public sealed class SurveyGrain([PersistentState("survey", StorageNames.Coaching)] IPersistentState<SurveyState> survey)
    : Grain, ISurveyGrain
{
    public async Task<SurveyDefinition> Put(string name, ImmutableArray<SurveyQuestion> questions)
    {
        survey.State.Exists = true;
        survey.State.Name = name;
        survey.State.Questions = [.. questions];
        await survey.WriteStateAsync();
        return View();
    }

    public Task<SurveyDefinition?> Get() => Task.FromResult(survey.State.Exists ? View() : null);

    private SurveyDefinition View() => new(this.GetPrimaryKeyString(), survey.State.Name, [.. survey.State.Questions]);
}
