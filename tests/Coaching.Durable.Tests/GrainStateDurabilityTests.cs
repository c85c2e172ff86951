using Coaching.Durable.Tests.Grains;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace Coaching.Durable.Tests;

[Collection(PostgresCollection.Name)]
public sealed class GrainStateDurabilityTests(PostgresServer postgres)
{
    [Fact]
    public async Task State_written_before_a_full_restart_is_read_back_unchanged_by_a_new_silo()
    {
        var database = await postgres.CreateDatabaseAsync("state_restart");
        var writtenAt = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.FromHours(2));

        var first = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "restart"));
        var grains = first.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IJournalGrain>("trainee-42").Write("assessed", writtenAt);
        await grains.GetGrain<IJournalGrain>("trainee-42").Write("coached", writtenAt.AddMinutes(5));
        await grains.GetGrain<IJournalGrain>("trainee-42").Write("assessed", writtenAt.AddMinutes(9));
        var before = await grains.GetGrain<IJournalGrain>("trainee-42").Read();
        var etagBefore = await grains.GetGrain<IJournalGrain>("trainee-42").Etag();
        await SiloUnderTest.StopAsync(first);

        var second = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "restart"));
        try
        {
            var journal = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IJournalGrain>("trainee-42");
            var after = await journal.Read();

            Assert.Equal(before.Entries, after.Entries);
            Assert.Equal(["assessed", "coached", "assessed"], after.Entries.Select(e => e.Text));
            Assert.Equal(writtenAt, after.Entries[0].WrittenAt);
            Assert.Equal(TimeSpan.FromHours(2), after.Entries[0].WrittenAt.Offset);
            Assert.Equal(2, after.Tally["assessed"]);
            Assert.Equal(etagBefore, await journal.Etag());
            Assert.Empty((await second.Services.GetRequiredService<IGrainFactory>().GetGrain<IJournalGrain>("someone-else").Read()).Entries);
        }
        finally
        {
            await SiloUnderTest.StopAsync(second);
        }
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_and_the_newer_state_survives()
    {
        var database = await postgres.CreateDatabaseAsync("state_etag");
        var silo = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "etag"));
        try
        {
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Coaching);
            var grainId = GrainId.Create("journal", "contended");

            var creator = new GrainState<JournalState>(new JournalState());
            creator.State!.Entries.Add(new JournalEntry("first", DateTimeOffset.UnixEpoch));
            await storage.WriteStateAsync("journal", grainId, creator);

            // A second activation that never saw the first write must not create the row again.
            var blind = new GrainState<JournalState>(new JournalState());
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("journal", grainId, blind));

            var reader = new GrainState<JournalState>(new JournalState());
            await storage.ReadStateAsync("journal", grainId, reader);
            var staleEtag = reader.ETag;

            creator.State!.Entries.Add(new JournalEntry("second", DateTimeOffset.UnixEpoch));
            await storage.WriteStateAsync("journal", grainId, creator);

            reader.State!.Entries.Add(new JournalEntry("lost update", DateTimeOffset.UnixEpoch));
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("journal", grainId, reader));
            Assert.Equal(staleEtag, reader.ETag);
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("journal", grainId, reader));

            var check = new GrainState<JournalState>(new JournalState());
            await storage.ReadStateAsync("journal", grainId, check);
            Assert.Equal(["first", "second"], check.State!.Entries.Select(e => e.Text));
            Assert.True(check.RecordExists);

            await storage.ClearStateAsync("journal", grainId, check);
            var cleared = new GrainState<JournalState>(new JournalState());
            await storage.ReadStateAsync("journal", grainId, cleared);
            Assert.Empty(cleared.State!.Entries);
            Assert.Equal(check.ETag, cleared.ETag);

            // After a clear the row (and its version) remains, so a blind first write is still refused.
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("journal", grainId, new GrainState<JournalState>(new JournalState())));
            cleared.State!.Entries.Add(new JournalEntry("after clear", DateTimeOffset.UnixEpoch));
            await storage.WriteStateAsync("journal", grainId, cleared);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    [Fact]
    public async Task Grain_state_is_stored_as_system_text_json()
    {
        var database = await postgres.CreateDatabaseAsync("state_format");
        var silo = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "format"));
        try
        {
            var options = silo.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(StorageNames.Coaching);
            Assert.IsType<SystemTextJsonGrainStorageSerializer>(options.GrainStorageSerializer);

            await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IJournalGrain>("json").Write("visible", DateTimeOffset.UnixEpoch);

            await using var connection = new Npgsql.NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var read = new Npgsql.NpgsqlCommand(
                "SELECT convert_from(payload, 'UTF8')::jsonb -> 'Entries' -> 0 ->> 'Text' FROM orleans_grain_state WHERE state_name = 'journal'", connection);
            Assert.Equal("visible", await read.ExecuteScalarAsync());
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }
}
