using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ops.SlaTimer.OnCall;

/// <summary>
/// Loaded by the runtime before the sla-timer's Main (<c>DOTNET_STARTUP_HOOKS</c>): when the host is being built, it
/// registers a rota read from the JSON file named by <c>OPS_E2E_ROTA</c>, last, so it stands in for the contract's.
/// </summary>
public static class StartupHook
{
    public static void Initialize() => DiagnosticListener.AllListeners.Subscribe(new HostListener());

    private sealed class HostListener : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilding" && value.Value is IHostBuilder host && Environment.GetEnvironmentVariable("OPS_E2E_ROTA") is { Length: > 0 } file)
            {
                host.ConfigureServices(services => services.AddSingleton<IDutyRoster>(new FileRoster(file)));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}

/// <summary>One shift of the file: a later one that holds the same instant wins, as an override beats the rotation.</summary>
internal sealed record FileShift(string Layer, string Id, string Name, string Mobile, DateTimeOffset From, DateTimeOffset To)
{
    public DutyShift ToShift() => new(Layer == "secondary" ? DutyLayer.Secondary : DutyLayer.Primary, new DutyEngineer(Id, Name, Mobile), From, To);
}

/// <summary>The rota as the test last wrote it: the file is read on every question, so a test can change who is on duty.</summary>
internal sealed class FileRoster(string file) : IDutyRoster
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private List<DutyShift> Shifts() => [.. (JsonSerializer.Deserialize<List<FileShift>>(File.ReadAllText(file), Json) ?? []).Select(s => s.ToShift())];

    public Task<DutyShift?> OnDutyAsync(string contract, DutyLayer layer, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Task.FromResult(Shifts().LastOrDefault(s => s.Layer == layer && s.From <= at && at < s.To));

    public Task<IReadOnlyList<DutyShift>> ShiftsAsync(string contract, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DutyShift>>([.. Shifts().Where(s => s.From < to && from < s.To).OrderBy(s => s.From)
            .Select(s => s with { From = s.From < from ? from : s.From, To = s.To > to ? to : s.To })]);

    public Task<DutyEngineer?> EngineerByWeComUserAsync(string contract, string weComUserId, CancellationToken cancellationToken = default) =>
        Task.FromResult<DutyEngineer?>(null);
}
