using Coaching.Silo;

namespace Coaching.Api.Hosting;

public enum HostingMode
{
    /// <summary>The API process co-hosts a silo (the default: one process does everything).</summary>
    Embedded,

    /// <summary>The API process is an Orleans client of silos started on their own (<c>src/Silo</c>).</summary>
    Client,
}

public static class OrleansHosting
{
    /// <summary><c>Coaching:Mode</c> chooses between co-hosting a silo and joining a cluster as a client.</summary>
    public static HostingMode AddCoachingOrleans(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration.GetValue("Coaching:Mode", HostingMode.Embedded);
        if (mode == HostingMode.Client)
        {
            builder.UseOrleansClient(client => client.UseCoachingClient(builder.Configuration));
        }
        else
        {
            builder.UseOrleans(silo => silo.UseCoachingSilo(builder.Configuration));
        }

        return mode;
    }
}
