namespace Coaching.Api.Auth;

/// <summary>Role claim values, as the identity provider sends them.</summary>
public static class Roles
{
    public const string Admin = "coaching.admin";
    public const string Supervisor = "supervisor";
    public const string Coach = "coach";
    public const string Agent = "agent";
    public const string Integration = "integration";

    public static readonly IReadOnlyList<string> All = [Admin, Supervisor, Coach, Agent, Integration];
}

/// <summary>Fine-grained permissions, sent as <c>permission</c> claims.</summary>
public static class Permissions
{
    public const string ClaimType = "permission";
    public const string ViewSuggestions = "suggestions.view";
    public const string CreateSuggestions = "suggestions.create";
}

/// <summary>Authorization policies by function; object-level checks happen in the endpoints.</summary>
public static class Policies
{
    public const string Admin = "admin";
    public const string Directory = "directory";
    public const string Integration = "integration";
    public const string SuggestSessions = "suggest-sessions";
    public const string AnyRole = "any-role";

    /// <summary>The people of the floor (admins, supervisors, coaches, agents), not the integration service.</summary>
    public const string People = "people";
}
