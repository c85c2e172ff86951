using System.Text.RegularExpressions;

namespace Coaching.Api.Tests;

/// <summary>
/// docker-compose.yml ships no secret (security review finding 5): whoever starts it as it is must bring their own
/// database password and signing key (from a git-ignored .env), and compose refuses to start without them.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Every_secret_in_the_compose_file_is_a_required_variable()
    {
        var secrets = 0;
        foreach (var (line, number) in File.ReadLines(Path.Combine(Root, "docker-compose.yml")).Select((l, i) => (l, i + 1)))
        {
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (SecretSetting().Match(line) is { Success: true } setting)
            {
                secrets++;
                Assert.True(RequiredVariable().IsMatch(setting.Groups["value"].Value.Trim().Trim('"')),
                    $"docker-compose.yml:{number}: {setting.Groups["key"].Value} must be ${{VAR:?message}}, not a literal: {line.Trim()}");
            }

            foreach (Match password in PasswordInValue().Matches(line))
            {
                secrets++;
                Assert.True(RequiredVariable().IsMatch(password.Groups["value"].Value),
                    $"docker-compose.yml:{number}: a password inside a value must be ${{VAR:?message}}: {line.Trim()}");
            }
        }

        // The database password (twice) and the signing key: a test that finds nothing proves nothing.
        Assert.True(secrets >= 3, $"found {secrets} secret settings");
    }

    [Fact]
    public void The_env_file_with_the_secrets_is_ignored_by_git()
    {
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(Root, ".gitignore")).Select(l => l.Trim()));
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        Assert.Contains("openssl rand", readme, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("      POSTGRES_PASSWORD: coaching", false)]
    [InlineData("      Authentication__Schemes__Bearer__SigningKeys__0__Value: \"Y29hY2hpbmc=\"", false)]
    [InlineData("      POSTGRES_PASSWORD: \"${POSTGRES_PASSWORD}\"", false)]
    [InlineData("      POSTGRES_PASSWORD: \"${POSTGRES_PASSWORD:-coaching}\"", false)]
    [InlineData("      POSTGRES_PASSWORD: \"${POSTGRES_PASSWORD:?set it in .env}\"", true)]
    public void The_check_tells_a_literal_from_a_required_variable(string line, bool allowed)
    {
        var setting = SecretSetting().Match(line);
        Assert.True(setting.Success);
        Assert.Equal(allowed, RequiredVariable().IsMatch(setting.Groups["value"].Value.Trim().Trim('"')));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Coaching.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Coaching.sln not found above the test's folder.");
    }

    /// <summary>A setting whose name says it holds a secret: a password, secret, token or key, or a signing key's value.</summary>
    [GeneratedRegex(@"^\s*(?<key>[A-Za-z0-9_]*(PASSWORD|SECRET|TOKEN|_KEY)|[A-Za-z0-9_]*SigningKeys__\d+__Value)\s*:\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSetting();

    /// <summary><c>Password=...</c> inside a connection string.</summary>
    [GeneratedRegex(@"Password=(?<value>\$\{[^}]*\}|[^;""]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInValue();

    /// <summary>Only a variable that must be set (<c>${VAR:?message}</c>): no default, no empty value.</summary>
    [GeneratedRegex(@"^\$\{[A-Z0-9_]+:\?[^}]+\}$")]
    private static partial Regex RequiredVariable();
}
