using Coaching.Durable.Tests.Grains;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Coaching.Silo.Storage;
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
            Assert.IsType<PostgresGrainStorage>(silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Coaching));
            Assert.IsType<SystemTextJsonGrainStorageSerializer>(silo.Services.GetRequiredService<IGrainStorageSerializer>());

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

    [Fact]
    public async Task Keys_that_read_as_numbers_or_guids_keep_rows_of_their_own()
    {
        // The Orleans ADO.NET provider stores a key that parses as hexadecimal or as a GUID as that number: "abc",
        // "ABC" and "0abc" would be one grain's state, as would a GUID in upper and lower case.
        var database = await postgres.CreateDatabaseAsync("state_keys");
        var silo = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "keys"));
        string[] keys = ["abc", "ABC", "0abc", "7", "07", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"];
        try
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            foreach (var key in keys)
            {
                await grains.GetGrain<IJournalGrain>(key).Write("written as " + key, DateTimeOffset.UnixEpoch);
            }
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }

        var again = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "keys"));
        try
        {
            var grains = again.Services.GetRequiredService<IGrainFactory>();
            foreach (var key in keys)
            {
                Assert.Equal(["written as " + key], (await grains.GetGrain<IJournalGrain>(key).Read()).Entries.Select(e => e.Text));
            }
        }
        finally
        {
            await SiloUnderTest.StopAsync(again);
        }
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_share_commits_and_all_land()
    {
        var database = await postgres.CreateDatabaseAsync("state_batched");
        var silo = await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "batched"));
        try
        {
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Coaching);
            var states = Enumerable.Range(0, 400).Select(i =>
            {
                var state = new GrainState<JournalState>(new JournalState());
                state.State!.Entries.Add(new JournalEntry($"entry {i}", DateTimeOffset.UnixEpoch));
                return (Id: GrainId.Create("journal", $"many-{i}"), State: state);
            }).ToList();

            var batcher = silo.Services.GetRequiredService<PostgresBatcher>();
            var (batchesBefore, statementsBefore) = (batcher.BatchesSent, batcher.StatementsSent);
            await Task.WhenAll(states.Select(s => storage.WriteStateAsync("journal", s.Id, s.State)));
            var (batches, statements) = (batcher.BatchesSent - batchesBefore, batcher.StatementsSent - statementsBefore);

            // One round trip and commit per write would be 400; the batcher sends whatever waits together.
            Assert.True(statements >= 400, $"{statements} statements");
            Assert.InRange(batches, 1, 200);
            foreach (var (id, state) in states)
            {
                var read = new GrainState<JournalState>(new JournalState());
                await storage.ReadStateAsync("journal", id, read);
                Assert.Equal(state.State!.Entries, read.State!.Entries);
                Assert.Equal(state.ETag, read.ETag);
            }
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    [Fact]
    public async Task A_failing_statement_fails_alone_and_the_rest_of_its_batch_commits()
    {
        var database = await postgres.CreateDatabaseAsync("state_batch_fault");
        await using (var setup = new Npgsql.NpgsqlConnection(database))
        {
            await setup.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE TABLE marks (id int PRIMARY KEY)", setup);
            await create.ExecuteNonQueryAsync();
        }

        await using var batcher = Database.Batcher(database);
        var inserts = Enumerable.Range(1, 50)
            .Select(i => batcher.Run(new PostgresBatcher.Statement("INSERT INTO marks VALUES ($1) RETURNING id", $"m{i:D3}", i), rows => (int)rows[0][0]!))
            .ToList();
        var broken = batcher.Run(new PostgresBatcher.Statement("INSERT INTO marks VALUES (1 / ($1 - 7)) RETURNING id", "m025x", 7), rows => rows.Count);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => broken);
        Assert.Equal("22012", error.SqlState);
        Assert.Equal(Enumerable.Range(1, 50), await Task.WhenAll(inserts));

        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM marks", connection);
        Assert.Equal(50L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_statement_without_rows_never_shifts_the_answers_of_its_batch()
    {
        var database = await postgres.CreateDatabaseAsync("state_batch_rows");
        await using (var setup = new Npgsql.NpgsqlConnection(database))
        {
            await setup.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE TABLE marks (id int PRIMARY KEY)", setup);
            await create.ExecuteNonQueryAsync();
        }

        await using var batcher = Database.Batcher(database);
        // Reads that each answer their own number, sent together with statements that answer no result set at all
        // (a write whose RETURNING sits in a WITH part only): no read may ever receive another statement's rows.
        var reads = new List<(int Expected, Task<int?> Answer)>();
        var silent = new List<Task>();
        for (var i = 0; i < 200; i++)
        {
            silent.Add(batcher.Run(new PostgresBatcher.Statement("WITH gone AS (DELETE FROM marks WHERE id = $1 RETURNING id) DELETE FROM marks WHERE false", $"a{i:D3}", i), rows => rows.Count));
            reads.Add((i, batcher.Run(new PostgresBatcher.Statement("SELECT $1::int", $"b{i:D3}", i), rows => rows.Count == 1 ? (int?)rows[0][0] : null)));
        }

        foreach (var (expected, answer) in reads)
        {
            try
            {
                Assert.Equal(expected, await answer);
            }
            catch (InvalidOperationException)
            {
                // Refused loudly is fine; a wrong or missing answer is not.
            }
        }

        await Task.WhenAll(silent.Select(async t => await Assert.ThrowsAsync<InvalidOperationException>(() => t)));
        Assert.Throws<ArgumentException>(() => new PostgresBatcher.Statement("DELETE FROM marks WHERE id = $1", "c", 1));
    }
}
