using System.Security.Claims;
using Coaching.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Coaching.Api.Web;

/// <summary>
/// The signed-in user of one console circuit, as the API's handlers take it (<see cref="Caller"/>). The directory's
/// standing is applied at every action, as it is on every API request, so a user deactivated while a page is open
/// acts as nobody from then on. Actions a route guards with a policy are checked against the same policy here.
/// </summary>
public sealed class ConsoleUser(AuthenticationStateProvider authentication, DirectoryAccess access, IAuthorizationService authorization)
{
    /// <summary>The principal with the directory's standing applied.</summary>
    public async Task<ClaimsPrincipal> Principal()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var principal = state.User.Clone();
        if (principal.FindFirstValue("sub") is { Length: > 0 } userId)
        {
            await access.Apply(principal, userId);
        }

        return principal;
    }

    public async Task<Caller> Caller() => Auth.Caller.From(await Principal());

    /// <summary>Whether the user passes the named policy of <see cref="Policies"/>, the one its API route requires.</summary>
    public async Task<bool> May(string policy) => (await authorization.AuthorizeAsync(await Principal(), policy)).Succeeded;

    /// <summary>Runs an API handler as this user when the user passes <paramref name="policy"/>; refused as the route would be otherwise.</summary>
    public async Task<Outcome<T>> Act<T, TResult>(string policy, Func<Caller, Task<TResult>> handler)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(handler);
        var principal = await Principal();
        if (!(await authorization.AuthorizeAsync(principal, policy)).Succeeded)
        {
            return new Outcome<T>(default, ConsoleProblem.NotAllowed());
        }

        return await ConsoleCalls.Run<T, TResult>(handler(Auth.Caller.From(principal)));
    }
}
