using Coaching.Silo.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coaching.Silo;

public static class SiloProgram
{
    public const string MigrateVerb = "migrate";

    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == MigrateVerb)
        {
            return await MigrateAsync(args[1..]).ConfigureAwait(false);
        }

        var builder = Host.CreateApplicationBuilder(args);
        // Leaves time to hand grains over and leave the membership table cleanly on SIGTERM.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.UseOrleans(silo => silo.UseCoachingSilo(builder.Configuration));
        using var host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>dotnet run --project src/Silo -- migrate</c>: apply the schema and exit.</summary>
    private static async Task<int> MigrateAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SiloProgram));
        var connectionString = builder.Configuration.GetConnectionString(CoachingSiloHosting.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            logger.LogError("migrate needs ConnectionStrings:Coaching (e.g. environment variable ConnectionStrings__Coaching)");
            return 2;
        }

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await PostgresSchema.ApplyAsync(connectionString, logger, cancellation.Token).ConfigureAwait(false);
        return 0;
    }
}
