using Microsoft.AspNetCore.Components;

namespace Coaching.Api.Web.Components;

/// <summary>
/// A part of a page that shows what grains own and stays live: it loads once, then again whenever
/// <see cref="LiveUpdates.Changed"/> fires, and renders only when what it loaded differs from before.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private bool loading;

    [Inject] protected LiveUpdates Live { get; set; } = default!;

    [Inject] protected ConsoleUser User { get; set; } = default!;

    [Inject] protected IGrainFactory Grains { get; set; } = default!;

    // The last load's answer as JSON, compared to decide whether to render again.
    private string? fingerprint;

    protected override async Task OnInitializedAsync()
    {
        Live.Changed += Refresh;
        fingerprint = Fingerprint(await Load());
    }

    /// <summary>Reads what the component shows into its fields; returns what it read (compared as JSON to tell a change).</summary>
    protected abstract Task<object?> Load();

    /// <summary>Reads again now, after the user's own action.</summary>
    protected async Task Reload()
    {
        fingerprint = Fingerprint(await Load());
        StateHasChanged();
    }

    private Task Refresh() => InvokeAsync(async () =>
    {
        if (loading)
        {
            return;
        }

        loading = true;
        try
        {
            var next = Fingerprint(await Load());
            if (next != fingerprint)
            {
                fingerprint = next;
                StateHasChanged();
            }
        }
        finally
        {
            loading = false;
        }
    });

    // Fields included: a Load that returns a tuple (fields Item1, Item2, ...) must not fingerprint as "{}" every time.
    private static readonly System.Text.Json.JsonSerializerOptions FingerprintOptions = new() { IncludeFields = true };

    private static string Fingerprint(object? value) => System.Text.Json.JsonSerializer.Serialize(value, FingerprintOptions);

    public void Dispose()
    {
        Live.Changed -= Refresh;
        GC.SuppressFinalize(this);
    }
}
