using Coaching.Inbox;
using Coaching.Sessions;
using Coaching.Trainees;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Coaching;

/// <summary>
/// The settings grains take: each section bound to its options class and checked when the silo starts, so a bad
/// value stops start-up with a message naming its key instead of being ignored.
/// </summary>
public static class GrainSettings
{
    public static IServiceCollection AddGrainSettings(this IServiceCollection services)
    {
        const string notifications = NotificationRetention.Section;
        services.AddOptions<NotificationRetention>().BindConfiguration(notifications)
            .Validate(o => o.KeepPerUser is >= 1 and <= 10_000, $"{notifications}:{nameof(NotificationRetention.KeepPerUser)} must be from 1 to 10000.")
            .Validate(o => o.KeepFor > TimeSpan.Zero, $"{notifications}:{nameof(NotificationRetention.KeepFor)} must be positive.")
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<NotificationRetention>>().Value);

        const string sessionLists = SessionListRetention.Section;
        services.AddOptions<SessionListRetention>().BindConfiguration(sessionLists)
            .Validate(o => o.KeepClosedFor > TimeSpan.Zero, $"{sessionLists}:{nameof(SessionListRetention.KeepClosedFor)} must be positive.")
            .ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<SessionListRetention>>().Value);

        const string budget = BudgetOptions.Section;
        services.AddOptions<BudgetOptions>().BindConfiguration(budget)
            .Validate(o => o.MaxAssessments is null or >= 0, $"{budget}:{nameof(BudgetOptions.MaxAssessments)} must not be negative.")
            .Validate(o => o.Window is null || o.Window.Value > TimeSpan.Zero, $"{budget}:{nameof(BudgetOptions.Window)} must be positive.")
            .Validate(o => o.MaxAssessments.HasValue == o.Window.HasValue, $"{budget}:{nameof(BudgetOptions.MaxAssessments)} and {budget}:{nameof(BudgetOptions.Window)} are set together (the budget is off unless both are).")
            .ValidateOnStart();
        return services;
    }
}
