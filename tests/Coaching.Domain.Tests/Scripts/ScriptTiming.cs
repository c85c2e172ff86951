namespace Coaching.Domain.Tests.Scripts;

/// <summary>
/// The script tests measure a 50 ms budget on the clock: they run alone, after the parallel tests of this assembly,
/// so that the other tests' threads on a 2-core machine are not what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScriptTiming
{
    public const string Name = "script timing";
}
