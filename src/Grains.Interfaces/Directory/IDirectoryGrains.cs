using System.Collections.Immutable;
using Coaching.Assessments;
using Orleans.Concurrency;

namespace Coaching.Directory;

/// <summary>One directory user, keyed by user id (the token's <c>sub</c>).</summary>
[Alias("coaching.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the user's profile. A deleted user stays deleted.</summary>
    [Alias("Put")] Task<UserView> Put(UserUpdate update);

    /// <summary>
    /// The user, or null when the directory never heard of it. A read interleaves with a write in progress: a delete
    /// hands the user's assessments back to their queues, and those assessments may read the user meanwhile.
    /// </summary>
    [Alias("Get"), AlwaysInterleave] Task<UserView?> Get();

    /// <summary>Marks the user deleted; false when the user never existed.</summary>
    [Alias("Delete")] Task<bool> Delete();

    /// <summary>Records that the user is (or is no longer) a member of a group; kept by the group grain.</summary>
    [Alias("SetMembership")] Task SetMembership(string groupId, bool member);
}

/// <summary>A group of users (a team, a coach group), keyed by group id.</summary>
[Alias("coaching.IGroupGrain")]
public interface IGroupGrain : IGrainWithStringKey
{
    [Alias("Put")] Task<GroupView> Put(string displayName, ImmutableArray<string> members);

    [Alias("Get")] Task<GroupView?> Get();
}

/// <summary>The admin-defined coaching areas; one instance (key <see cref="Key"/>) since there are few.</summary>
[Alias("coaching.ICoachingAreasGrain")]
public interface ICoachingAreasGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("Put")] Task<CoachingArea> Put(string id, string name);

    [Alias("Get")] Task<CoachingArea?> Get(string id);

    [Alias("List")] Task<ImmutableArray<CoachingArea>> List();
}

/// <summary>A survey definition, keyed by survey id.</summary>
[Alias("coaching.ISurveyGrain")]
public interface ISurveyGrain : IGrainWithStringKey
{
    [Alias("Put")] Task<SurveyDefinition> Put(string name, ImmutableArray<SurveyQuestion> questions);

    [Alias("Get")] Task<SurveyDefinition?> Get();
}
