using System.Net;
using Coaching.Api.Health;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Coaching.Api.Tests;

/// <summary>The API's own settings: a value that does not parse or breaks its rule stops start-up, naming the key.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Coaching:Mode", "Both")]
    [InlineData("Coaching:Auth:ClockSkew", "soon")]
    [InlineData("Coaching:Auth:ClockSkew", "-PT1S")]
    [InlineData("Coaching:Health:ReadinessCacheDuration", "PT10M")]
    [InlineData("Coaching:Http:MaxRequestBodyBytes", "0")]
    [InlineData("Coaching:Telemetry:Console", "loud")]
    [InlineData("Coaching:Dashboard:Enabled", "maybe")]
    public async Task A_bad_setting_stops_the_API_at_start_naming_its_key(string key, string value)
    {
        await using var api = new CoachingApi(new Dictionary<string, string?> { [key] = value });

        var refused = Assert.ThrowsAny<Exception>(() => api.Anonymous());

        Assert.Contains(key, refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durations_are_read_in_ISO_8601_and_as_time_spans_alike()
    {
        await using var iso = new CoachingApi(new Dictionary<string, string?> { ["Coaching:Health:ReadinessCacheDuration"] = "PT1S" });
        await using var span = new CoachingApi(new Dictionary<string, string?> { ["Coaching:Health:ReadinessCacheDuration"] = "00:00:01" });

        foreach (var api in new[] { iso, span })
        {
            Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/health/ready")).StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), api.Services.GetRequiredService<IOptions<ReadinessOptions>>().Value.ReadinessCacheDuration.Value);
        }
    }
}
