using System.Collections.Immutable;
using Coaching.Api.Auth;
using Coaching.Api.Errors;
using Coaching.Api.Http;
using Coaching.Api.OpenApi;
using Coaching.Roster;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coaching.Api.Endpoints;

/// <summary>Users and groups, written by the HR/identity integration or an admin.</summary>
public static class DirectoryEndpoints
{
    public const int MaxGroupMembers = 10_000;

    public sealed record UserBody(string? DisplayName, string? Email, bool? Active);

    public sealed record GroupBody(string? DisplayName, List<string?>? Members);

    public static IEndpointRouteBuilder MapDirectory(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/v1/users").WithTags("Directory")
            .RequireAuthorization(Policies.Directory).StandardProblems();
        users.MapPut("/{id}", PutUser).WithName("PutUser").WithSummary("Create or replace a user.").Problems(422);
        users.MapGet("/{id}", GetUser).WithName("GetUser").Problems(404);
        users.MapDelete("/{id}", DeleteUser).WithName("DeleteUser").WithSummary("Mark a user deleted.").Problems(404);

        var groups = app.MapGroup("/v1/groups").WithTags("Directory")
            .RequireAuthorization(Policies.Directory).StandardProblems();
        groups.MapPut("/{id}", PutGroup).WithName("PutGroup").WithSummary("Create or replace a group and its members.").Problems(422);
        groups.MapGet("/{id}", GetGroup).WithName("GetGroup").Problems(404);
        return app;
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> PutUser(string id, UserBody body, IGrainFactory grains, DirectoryAccess access)
    {
        var checks = new RequestChecks()
            .Required("displayName", body.DisplayName)
            .Optional("email", body.Email, TextRule.Line(320));
        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var user = await grains.GetGrain<IUserGrain>(id).Put(new UserUpdate(body.DisplayName!.Trim(), body.Email, body.Active ?? true));
        access.Forget(id);
        return TypedResults.Ok(user);
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetUser(string id, IGrainFactory grains) =>
        await grains.GetGrain<IUserGrain>(id).Get() is { } user
            ? TypedResults.Ok(user)
            : Problems.NotFound($"No user '{id}'.");

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(string id, IGrainFactory grains, DirectoryAccess access)
    {
        if (!await grains.GetGrain<IUserGrain>(id).Delete())
        {
            return Problems.NotFound($"No user '{id}'.");
        }

        access.Forget(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<GroupView>, ProblemHttpResult>> PutGroup(string id, GroupBody body, IGrainFactory grains)
    {
        var checks = new RequestChecks().Required("displayName", body.DisplayName);
        if (body.Members is null)
        {
            checks.Fail("members", "is required (an empty list is fine).");
        }
        else if (body.Members.Count > MaxGroupMembers)
        {
            checks.Fail("members", $"must have at most {MaxGroupMembers} entries.");
        }
        else
        {
            for (var i = 0; i < body.Members.Count; i++)
            {
                checks.Id($"members[{i}]", body.Members[i]);
            }
        }

        if (!checks.Ok)
        {
            return Problems.Invalid(checks.Errors);
        }

        var members = body.Members!.Select(m => m!).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var known = await Task.WhenAll(members.Select(m => grains.GetGrain<IUserGrain>(m).Get()));
        var unknown = members.Where((_, i) => known[i] is null).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Rule(Refusal.Codes.UnknownUser, $"Unknown users: {string.Join(", ", unknown.Take(20))}.");
        }

        return TypedResults.Ok(await grains.GetGrain<IGroupGrain>(id).Put(body.DisplayName!.Trim(), members));
    }

    private static async Task<Results<Ok<GroupView>, ProblemHttpResult>> GetGroup(string id, IGrainFactory grains) =>
        await grains.GetGrain<IGroupGrain>(id).Get() is { } group
            ? TypedResults.Ok(group)
            : Problems.NotFound($"No group '{id}'.");
}
