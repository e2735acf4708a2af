using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ops.Hosting.Storage;

/// <summary>Brings the schema up to date before anything else starts: before the bus, the timers and the HTTP server.</summary>
internal sealed class SchemaMigration(Database database, IEnumerable<Assembly> assemblies, ILogger<SchemaMigration> logger) : IHostedLifecycleService
{
    /// <summary>The assemblies whose scripts make the schema: what a backup's schema may be at most.</summary>
    public IReadOnlyList<Assembly> Assemblies { get; } = [.. assemblies];

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var applied = await SchemaMigrator.MigrateAsync(database, Assemblies, cancellationToken);
        foreach (var script in applied)
        {
            logger.LogInformation("Applied schema script {Component} {Name}", script.Component, script.Name);
        }

        logger.LogInformation("Database: {Database}", database.Describe());
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
