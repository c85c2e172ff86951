using System.Text.RegularExpressions;

namespace Coaching.Domain.Tests.Settings;

/// <summary>
/// Configuration is read only by options binding (DESIGN.md, "Settings"): outside the one helper for values a host
/// needs while it is built (src/Silo/Hosting/HostSettings.cs), no source under src names IConfiguration, indexes a
/// configuration, or calls GetSection, GetValue, GetConnectionString or Bind. The same pattern as the command in
/// README.md ("Settings").
/// </summary>
public partial class ConfigurationReadTests
{
    private const string Helper = "src/Silo/Hosting/HostSettings.cs";

    [Fact]
    public void Only_the_host_settings_helper_reads_configuration()
    {
        var root = RepositoryRoot();
        var readers = System.IO.Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .SelectMany(path => File.ReadLines(path).Select((line, i) => (File: Path.GetRelativePath(root, path).Replace('\\', '/'), Line: i + 1, Text: line)))
            .Where(line => Reads().IsMatch(line.Text))
            .ToList();

        Assert.NotEmpty(readers);
        Assert.All(readers, line => Assert.True(line.File == Helper, $"{line.File}:{line.Line} reads configuration: {line.Text.Trim()}"));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Coaching.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Coaching.sln not found above the test's directory.");
    }

    [GeneratedRegex(@"IConfiguration\b|onfiguration(\(\))?\[|onfiguration\.Get|GetConnectionString|GetSection\(|\.Bind\(")]
    private static partial Regex Reads();
}
