using Coaching.Directory;

namespace Coaching.Opportunities;

/// <summary>
/// The lookups the opportunity rules need: whether the groups, users and surveys a definition names exist. The rules
/// ask through this and nothing else, so a table test can answer from a list and the grains from the directory.
/// </summary>
public interface IOpportunityReferences
{
    Task<bool> GroupExists(string groupId);

    /// <summary>Known and not deleted.</summary>
    Task<bool> UserIsActive(string userId);

    Task<bool> SurveyExists(string surveyId);
}

/// <summary>The references as the directory grains hold them.</summary>
public sealed class DirectoryReferences(IGrainFactory grains) : IOpportunityReferences
{
    public async Task<bool> GroupExists(string groupId) => await grains.GetGrain<IGroupGrain>(groupId).Get() is not null;

    public async Task<bool> UserIsActive(string userId) => await grains.GetGrain<IUserGrain>(userId).Get() is { Deleted: false };

    public async Task<bool> SurveyExists(string surveyId) => await grains.GetGrain<ISurveyGrain>(surveyId).Get() is not null;
}
