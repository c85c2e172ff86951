using Coaching.Testing;

namespace Coaching.Reliability.Tests;

/// <summary>One throwaway PostgreSQL server for the run; each test makes its own database and cluster on it.</summary>
[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "reliability";
}
