using System.Collections.Immutable;
using Coaching.Pipeline;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Coaching.Durable.Tests.Storage;

/// <summary>
/// The in-memory probe of Api.Tests on PostgreSQL: the same 400 answers, never the endless 503 a NUL used to cause
/// once PostgreSQL refused to store it, and nothing of the refused requests in the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ControlCharacterDurableTests(PostgresServer postgres)
{
    [Fact]
    public async Task Control_characters_and_unterminated_ids_are_400_naming_the_field_on_PostgreSQL()
    {
        var database = await postgres.CreateDatabaseAsync("control_chars");
        await using var api = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "control-chars"));

        await ControlCharacterProbe.RunAsync(api, "cc-pg");

        Assert.Equal(1L, await Database.ScalarAsync<long>(database, "SELECT count(*) FROM coaching_event_answers"));
        Assert.Equal(0L, await Database.ScalarAsync<long>(database,
            "SELECT count(*) FROM orleans_grain_state WHERE grain_id_extension LIKE '%alice%' OR grain_id_extension LIKE '%nul%'"));
    }

    [Fact]
    public async Task Text_PostgreSQL_cannot_store_is_a_data_error_not_a_transient_one()
    {
        // Past the API's rule (a grain called directly): PostgreSQL refuses the NUL, and the failure that reaches the
        // caller classifies as data, which the API answers with a logged 500 instead of 503 + Retry-After forever.
        var database = await postgres.CreateDatabaseAsync("data_errors");
        await using var api = new CoachingApi(SiloUnderTest.DurableConfiguration(database, "data-errors"));
        var intake = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IEventIntakeGrain>(0);
        var bad = new IncomingEvent("nul\0event", "incident", "INC-1", DateTimeOffset.UtcNow,
            ImmutableDictionary<string, string?>.Empty.Add("assigned_to", "u-1"), ImmutableDictionary<string, string?>.Empty);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => intake.Ingest("svc", [bad]));

        Assert.False(failure is OrleansException, failure.ToString());
        Assert.Contains("22021", failure.Message, StringComparison.Ordinal);
        var good = bad with { EventId = "good-event" };
        Assert.Equal("good-event", Assert.Single(await intake.Ingest("svc", [good])).EventId);
    }
}
