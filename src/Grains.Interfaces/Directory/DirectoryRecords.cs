using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Coaching.Directory;

/// <summary>A person known to the directory. Deleted users are kept so nothing that refers to them is lost.</summary>
[GenerateSerializer, Immutable, Alias("coaching.user")]
public sealed record UserView(
    [property: Id(0)] string Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string? Email,
    [property: Id(3)] bool Active,
    [property: Id(4)] bool Deleted,
    [property: Id(5)] ImmutableArray<string> Groups)
{
    /// <summary>Whether the user may take part in new coaching work.</summary>
    [JsonIgnore]
    public bool IsEligible => Active && !Deleted;
}

[GenerateSerializer, Immutable, Alias("coaching.user-update")]
public sealed record UserUpdate(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] string? Email,
    [property: Id(2)] bool Active);

[GenerateSerializer, Immutable, Alias("coaching.group")]
public sealed record GroupView(
    [property: Id(0)] string Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] ImmutableArray<string> Members);

[GenerateSerializer, Immutable, Alias("coaching.coaching-area")]
public sealed record CoachingArea(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name);
