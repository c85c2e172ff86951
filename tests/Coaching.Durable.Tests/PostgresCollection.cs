using Coaching.Testing;

namespace Coaching.Durable.Tests;

/// <summary>One throwaway PostgreSQL server for the run; each test class makes its own database on it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
