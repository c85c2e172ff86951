using Coaching.Inbox;
using Coaching.Moments;
using Coaching.Sessions;
using Coaching.Trainees;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Coaching.Domain.Tests.Settings;

/// <summary>The grains' settings as a silo binds them: durations in either form, and a bad value stopping start-up by name.</summary>
public class GrainSettingsTests
{
    [Theory]
    [InlineData("P7D", 7 * 24 * 3600)]
    [InlineData("PT36H", 36 * 3600)]
    [InlineData("PT5S", 5)]
    [InlineData("7.00:00:00", 7 * 24 * 3600)]
    [InlineData("00:00:02", 2)]
    [InlineData(" P1D ", 24 * 3600)]
    public void A_duration_is_written_in_ISO_8601_or_as_a_time_span(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ConfiguredDuration.Parse(text).Value);

    [Theory]
    [InlineData("soon")]
    [InlineData("P")]
    [InlineData("7 days")]
    public void Anything_else_is_not_a_duration(string text) =>
        Assert.Throws<FormatException>(() => ConfiguredDuration.Parse(text));

    [Fact]
    public void Unset_sections_keep_the_documented_defaults()
    {
        using var services = Services([]);

        Assert.Equal(500, services.GetRequiredService<NotificationRetention>().KeepPerUser);
        Assert.Equal(TimeSpan.FromDays(90), services.GetRequiredService<NotificationRetention>().KeepFor.Value);
        Assert.Equal(TimeSpan.FromDays(90), services.GetRequiredService<SessionListRetention>().KeepClosedFor.Value);
        Assert.Null(services.GetRequiredService<IOptions<BudgetOptions>>().Value.ToBudget());
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Each_section_binds_to_its_options()
    {
        using var services = Services(new()
        {
            ["Coaching:Notifications:KeepPerUser"] = "10",
            ["Coaching:Notifications:KeepFor"] = "00:00:02",
            ["Coaching:SessionLists:KeepClosedFor"] = "P7D",
            ["Coaching:Budget:MaxAssessments"] = "2",
            ["Coaching:Budget:Window"] = "P7D",
        });

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(10, services.GetRequiredService<NotificationRetention>().KeepPerUser);
        Assert.Equal(TimeSpan.FromSeconds(2), services.GetRequiredService<NotificationRetention>().KeepFor.Value);
        Assert.Equal(TimeSpan.FromDays(7), services.GetRequiredService<SessionListRetention>().KeepClosedFor.Value);
        Assert.Equal(new CoachingBudget(2, TimeSpan.FromDays(7)), services.GetRequiredService<IOptions<BudgetOptions>>().Value.ToBudget());
    }

    [Theory]
    [InlineData("Coaching:Notifications:KeepPerUser", "0")]
    [InlineData("Coaching:Notifications:KeepPerUser", "10001")]
    [InlineData("Coaching:Notifications:KeepPerUser", "many")]
    [InlineData("Coaching:Notifications:KeepFor", "PT0S")]
    [InlineData("Coaching:Notifications:KeepFor", "soon")]
    [InlineData("Coaching:SessionLists:KeepClosedFor", "-P1D")]
    [InlineData("Coaching:SessionLists:KeepClosedFor", "soon")]
    [InlineData("Coaching:Budget:MaxAssessments", "-1")]
    [InlineData("Coaching:Budget:Window", "P0D")]
    public void A_bad_value_stops_start_up_naming_its_key(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["Coaching:Budget:MaxAssessments"] = "2", ["Coaching:Budget:Window"] = "P1D" };
        settings[key] = value;
        using var services = Services(settings);

        var refused = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Coaching:Budget:MaxAssessments", "2")]
    [InlineData("Coaching:Budget:Window", "P7D")]
    public void A_budget_half_set_stops_start_up(string key, string value)
    {
        using var services = Services(new() { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Coaching:Budget:MaxAssessments and Coaching:Budget:Window are set together", refused.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddGrainSettings()
            .BuildServiceProvider();
}
