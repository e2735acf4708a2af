using Ops.Hosting.Security;

namespace Ops.Tickets.Access;

/// <summary>
/// At start, after the schema scripts: the case variants of a username that script 0006 disabled (the
/// first created kept the name) have their tokens refused by every service, as if an admin had disabled them.
/// </summary>
internal sealed class SupersededUsers(UserStore users) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => users.RefuseTokensOfSupersededAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
