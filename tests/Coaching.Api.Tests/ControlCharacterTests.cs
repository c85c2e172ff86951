using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>Text that is not text is refused with 400 in memory; Durable.Tests runs the same probe on PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class ControlCharacterTests(SharedApi api)
{
    [Fact]
    public Task Control_characters_and_unterminated_ids_are_400_naming_the_field_in_memory() =>
        ControlCharacterProbe.RunAsync(api, "cc-mem");
}
