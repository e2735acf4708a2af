using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Ops.Hosting.Archive;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Scoring.Archive;

/// <summary>What an archive will hold, asked of every service before a byte of it is written: each part's files and chain heads.</summary>
public sealed record ArchivePlan(ServiceYear Year, IReadOnlyList<(string Client, ArchivePartListing Listing)> Remote, ArchivePartListing Own);

/// <summary>A service whose part of the archive could not be had: which, and why.</summary>
public sealed class ArchivePartUnavailableException(string service, string why) : Exception($"{service}: {why}")
{
    public string Service { get; } = service;
    public string Why { get; } = why;
}

/// <summary>
/// Assembles the yearly archive in scoring: the tickets' and the sla-timer's parts fetched over their APIs with the caller's
/// own credentials (<c>GET /api/archive/part</c>), scoring's from its own store, each file streamed into the zip as it
/// arrives and hashed on the way; the manifest goes last, signed with <c>Archive:SigningKey</c>.
/// </summary>
public sealed class ArchiveAssembler(IHttpClientFactory http, IOptions<ArchiveOptions> options, ScoringArchive own, Database database, TimeProvider time)
{
    public const string TicketsClient = "archive-tickets";
    public const string SlaTimerClient = "archive-sla-timer";

    /// <summary>The parts other services hold, and the folder each must keep to.</summary>
    private static readonly (string Client, string Service, string Folder)[] Parts = [(TicketsClient, "tickets", "tickets/"), (SlaTimerClient, "sla-timer", "clocks/")];

    /// <summary>The other services' clients, at the addresses of the settings.</summary>
    public static void AddClients(IServiceCollection services)
    {
        services.AddHttpClient(TicketsClient, (sp, c) => Configure(c, sp, o => o.TicketsUrl));
        services.AddHttpClient(SlaTimerClient, (sp, c) => Configure(c, sp, o => o.SlaTimerUrl));
    }

    private static void Configure(HttpClient client, IServiceProvider services, Func<ArchiveOptions, Uri> url)
    {
        var settings = services.GetRequiredService<IOptions<ArchiveOptions>>().Value;
        client.BaseAddress = url(settings);
        client.Timeout = settings.PartTimeout;
    }

    /// <summary>Asks every service for its listing (its chain heads are read then, before any file); refused when one cannot answer.</summary>
    public async Task<ArchivePlan> PlanAsync(ServiceYear year, Action<HttpRequestMessage> credentials, CancellationToken cancellationToken)
    {
        var remote = new List<(string, ArchivePartListing)>();
        foreach (var (client, service, folder) in Parts)
        {
            ArchivePartListing? listing;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/archive/part?{Query(year)}");
                credentials(request);
                using var response = await http.CreateClient(client).SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new ArchivePartUnavailableException(service, $"answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }

                listing = await response.Content.ReadFromJsonAsync<ArchivePartListing>(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
            {
                throw new ArchivePartUnavailableException(service, e.Message);
            }

            if (listing is null || listing.Files.Any(f => !f.StartsWith(folder, StringComparison.Ordinal) || f.Contains("..", StringComparison.Ordinal)))
            {
                throw new ArchivePartUnavailableException(service, $"its listing names files outside {folder}");
            }

            remote.Add((client, listing with { Service = service }));
        }

        var chains = await ArchivePartApi.ChainHeadsAsync(database, own.Service, cancellationToken);
        return new ArchivePlan(year, remote, new ArchivePartListing(own.Service, chains, await own.FilesAsync(year, cancellationToken)));
    }

    /// <summary>Writes the archive of <paramref name="plan"/> to <paramref name="output"/>, forward only; answers its manifest.</summary>
    public async Task<ArchiveManifest> WriteAsync(ArchivePlan plan, Action<HttpRequestMessage> credentials, Actor by, Stream output, CancellationToken cancellationToken)
    {
        using var key = options.Value.OpenSigningKey();
        var now = time.GetUtcNow();
        var year = plan.Year;
        await using var archive = new ArchiveWriter(output, now);
        foreach (var (client, listing) in plan.Remote)
        {
            foreach (var file in listing.Files)
            {
                await archive.AddAsync(file, (stream, ct) => FetchAsync(client, listing.Service, file, year, credentials, stream, ct), cancellationToken);
            }
        }

        foreach (var file in plan.Own.Files)
        {
            await archive.AddAsync(file, (stream, ct) => own.WriteAsync(file, year, stream, ct), cancellationToken);
        }

        var manifest = new ArchiveManifest
        {
            Contract = year.Contract,
            Year = year.Year,
            FirstDay = year.FirstDay,
            LastDay = year.LastDay,
            CreatedAt = now,
            CreatedBy = by.Name,
            Chains = [.. plan.Remote.SelectMany(r => r.Listing.Chains), .. plan.Own.Chains],
            Files = [],
        };
        return await archive.FinishAsync(manifest, key, cancellationToken);
    }

    /// <summary>
    /// Copies one file of another service's part into <paramref name="stream"/>. <c>Archive:PartTimeout</c> bounds every wait
    /// on that service, the headers and each next read of the body alike (HttpClient's own timeout ends at the headers): a
    /// service that stalls mid-file fails the archive, naming itself and the file, instead of holding it open forever.
    /// </summary>
    private async Task FetchAsync(
        string client, string service, string file, ServiceYear year, Action<HttpRequestMessage> credentials, Stream stream, CancellationToken cancellationToken)
    {
        var timeout = options.Value.PartTimeout;
        using var idle = new CancellationTokenSource(timeout, time);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/archive/part/file?{Query(year)}&name={Uri.EscapeDataString(file)}");
            credentials(request);
            using var response = await http.CreateClient(client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, waiting.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new ArchivePartUnavailableException(service, $"{file}: answered {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(waiting.Token);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                idle.CancelAfter(timeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, waiting.Token);
                }
                catch (IOException e)
                {
                    // The service went away mid-file (an error writing the archive itself stays what it is).
                    throw new ArchivePartUnavailableException(service, $"{file}: {e.Message}");
                }

                if (read == 0)
                {
                    break;
                }

                // Writing on (to a manager's slow download, say) is not the part's silence.
                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ArchivePartUnavailableException(service, $"{file}: sent nothing for {timeout:c} (Archive:PartTimeout)");
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new ArchivePartUnavailableException(service, $"{file}: did not answer within {timeout:c} (Archive:PartTimeout)");
        }
        catch (HttpRequestException e)
        {
            throw new ArchivePartUnavailableException(service, $"{file}: {e.Message}");
        }
    }

    private static string Query(ServiceYear year) => $"contract={Uri.EscapeDataString(year.Contract)}&year={year.Year}";
}
