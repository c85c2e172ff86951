using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Coaching.Silo;

/// <summary>
/// The one place that reads configuration outside options binding (<c>AddOptions&lt;T&gt;().BindConfiguration</c>):
/// the few values a host needs while it is being built, to choose which services to add (silo or client, storage,
/// ports, exporters), before any <see cref="IOptions{TOptions}"/> can be resolved. Each is bound to its options class
/// from its section and checked here, so a bad value stops the build naming its key, as <c>ValidateOnStart</c> does
/// for the rest. Everything else takes <see cref="IOptions{TOptions}"/>.
/// </summary>
public static class HostSettings
{
    public static T Read<T>(this IHostApplicationBuilder builder, string section)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Bind<T>(builder.Configuration, [section]);
    }

    public static T Read<T>(this ISiloBuilder silo, string section)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(silo);
        return Bind<T>(silo.Configuration, [section]);
    }

    public static T Read<T>(this IClientBuilder client, string section)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(client);
        return Bind<T>(client.Configuration, [section]);
    }

    /// <summary>The cluster's place: Orleans' own keys first, then <see cref="CoachingClusterOptions.Section"/> on top.</summary>
    public static CoachingClusterOptions ReadCluster(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return Bind<CoachingClusterOptions>(silo.Configuration, CoachingClusterOptions.Sections);
    }

    /// <inheritdoc cref="ReadCluster(ISiloBuilder)"/>
    public static CoachingClusterOptions ReadCluster(this IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Bind<CoachingClusterOptions>(client.Configuration, CoachingClusterOptions.Sections);
    }

    /// <summary>
    /// A section read before there is a host, from the sources that can set it (environment, command line, and what
    /// <paramref name="configure"/> adds): for settings that choose which kind of host to build.
    /// </summary>
    public static T ReadBeforeHost<T>(string[] args, Action<IConfigurationBuilder>? configure, string section)
        where T : class, new()
    {
        var early = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args);
        configure?.Invoke(early);
        return Bind<T>(early.Build(), [section]);
    }

    /// <summary>Binds <paramref name="sections"/> in order (a later one wins; "" is the root) and checks the result.</summary>
    private static T Bind<T>(IConfiguration configuration, string[] sections)
        where T : class, new()
    {
        var value = new T();
        foreach (var section in sections)
        {
            (section.Length == 0 ? configuration : configuration.GetSection(section)).Bind(value);
        }

        if (value is ICheckedSettings checkedSettings && checkedSettings.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(sections[^1], typeof(T), problems);
        }

        return value;
    }
}

/// <summary>Settings read while the host is built (<see cref="HostSettings"/>) that check themselves.</summary>
public interface ICheckedSettings
{
    /// <summary>What is wrong, each naming its key; none when the settings are good.</summary>
    IEnumerable<string> Problems();
}
