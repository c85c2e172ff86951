using Coaching.Silo;

namespace Coaching.Api.Hosting;

public enum HostingMode
{
    /// <summary>The API process co-hosts a silo (the default: one process does everything).</summary>
    Embedded,

    /// <summary>The API process is an Orleans client of silos started on their own (<c>src/Silo</c>).</summary>
    Client,
}

/// <summary>The <c>Coaching:Mode</c> key, the one setting of the <c>Coaching</c> section itself.</summary>
public sealed class HostingOptions : ICheckedSettings
{
    public const string Section = "Coaching";

    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    public IEnumerable<string> Problems()
    {
        if (!Enum.IsDefined(Mode))
        {
            yield return $"{Section}:{nameof(Mode)} must be {HostingMode.Embedded} or {HostingMode.Client}.";
        }
    }
}

public static class OrleansHosting
{
    /// <summary><c>Coaching:Mode</c> chooses between co-hosting a silo and joining a cluster as a client.</summary>
    public static HostingMode AddCoachingOrleans(this WebApplicationBuilder builder)
    {
        var mode = builder.Read<HostingOptions>(HostingOptions.Section).Mode;
        if (mode == HostingMode.Client)
        {
            builder.UseOrleansClient(client => client.UseCoachingClient());
        }
        else
        {
            builder.UseOrleans(silo => silo.UseCoachingSilo());
        }

        return mode;
    }
}
