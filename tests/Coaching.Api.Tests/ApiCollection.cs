using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>One embedded API host shared by the HTTP tests of a run; tests use distinct ids.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<SharedApi>
{
    public const string Name = "api";
}

public sealed class SharedApi : CoachingApi;
