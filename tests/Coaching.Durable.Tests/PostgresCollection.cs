using Coaching.Testing;

namespace Coaching.Durable.Tests;

/// <summary>One throwaway PostgreSQL server for the run; each test class makes its own database on it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// A second server for the classes that spend their time waiting (host restarts, reminders ringing, outbox retries
/// polled until they land) rather than computing: xUnit runs this collection beside <see cref="PostgresCollection"/>,
/// so their waits overlap the rest of the run instead of adding to it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RestartingPostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres-restarting";
}
