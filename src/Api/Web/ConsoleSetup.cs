using Coaching.Api.Hosting;
using Coaching.Api.Web.Components;
using Coaching.Silo;
using MudBlazor.Services;

namespace Coaching.Api.Web;

/// <summary>
/// The web console (CONSOLE.md): Blazor components rendered on the server, interactive over the circuit, served by
/// the API process at <c>/</c> in embedded and client mode alike, on MudBlazor components.
/// </summary>
public static class ConsoleSetup
{
    public static void AddCoachingConsole(this WebApplicationBuilder builder, HostingMode mode)
    {
        // Library assets (MudBlazor, the Blazor script) come from the build's manifest when the process runs from a
        // build rather than a publish (tests, `dotnet run` in any environment); a publish has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.AddConsoleAuth();
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddScoped<ConsoleUser>();
        services.AddScoped<LiveUpdates>();
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section)
            .Validate(o => o.Refresh > TimeSpan.Zero, $"{LiveOptions.Section}:{nameof(LiveOptions.Refresh)} must be positive.").ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section);
        var durable = !string.IsNullOrWhiteSpace(builder.Read<ConnectionStringOptions>(ConnectionStringOptions.Section).Coaching);
        services.AddSingleton(new HostingModeInfo(mode, durable));
        services.AddHostedService<DemoSeeder>();
    }

    public static void MapCoachingConsole(this WebApplication app)
    {
        app.WarnAboutDevSignIn();
        app.MapStaticAssets().AllowAnonymous();
        app.MapConsoleAuth();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
