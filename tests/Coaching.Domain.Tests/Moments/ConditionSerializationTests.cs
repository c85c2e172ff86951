using Coaching.Moments;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Coaching.Domain.Tests.Moments;

/// <summary>The condition tree crosses grain boundaries and is stored in grain state: it must survive Orleans serialization.</summary>
public class ConditionSerializationTests
{
    private static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Theory]
    [InlineData("{\"all\":[{\"field\":\"assigned_to\",\"operator\":\"changes\"}]}")]
    [InlineData("{\"any\":[{\"field\":\"n\",\"operator\":\"greater_than\",\"value\":1.50},{\"all\":[{\"field\":\"c\",\"operator\":\"is_one_of\",\"value\":[\"x\",\"y\"]},{\"field\":\"s\",\"operator\":\"is\",\"value\":\"10\"}]}]}")]
    public void Round_trips(string json)
    {
        var condition = MomentParser.Parse(json).Condition!;
        var copy = Serializer.Deserialize<Condition>(Serializer.SerializeToArray(condition));
        Assert.Equal(condition, copy);
        Assert.Equal(json, MomentWriter.ToJson(copy!));
    }

    [Fact]
    public void Round_trips_the_other_records()
    {
        var prior = new PriorAssessment("COP1", DateTimeOffset.UnixEpoch);
        Assert.Equal(prior, Serializer.Deserialize<PriorAssessment>(Serializer.SerializeToArray(prior)));
        var problem = new ConditionProblem("moment.all[0]", "bad");
        Assert.Equal(problem, Serializer.Deserialize<ConditionProblem>(Serializer.SerializeToArray(problem)));
        Assert.Equal(EventOutcome.SampledOut, Serializer.Deserialize<EventOutcome>(Serializer.SerializeToArray(EventOutcome.SampledOut)));
    }
}
