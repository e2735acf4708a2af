using System.ComponentModel.DataAnnotations;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ops.Hosting.Configuration;
using Ops.Hosting.Security;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Messaging;

/// <summary>The broker a service talks to. The credentials have no default: a service without them does not start.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 5682;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required(ErrorMessage = "RabbitMq:Username is not configured (environment variable RabbitMq__Username).")]
    public string? Username { get; set; }

    [Required(ErrorMessage = "RabbitMq:Password is not configured (environment variable RabbitMq__Password).")]
    public string? Password { get; set; }

    /// <summary>How many messages the service's queue hands it before they are acknowledged.</summary>
    [Range(1, 5000)]
    public int PrefetchCount { get; set; } = 64;

    /// <summary>
    /// Declares the service's queue and its error queue as quorum queues, replicated on every node of a broker cluster,
    /// so a node that is lost loses no message. Off for a single broker. RabbitMQ refuses to declare a quorum queue over
    /// a classic one of the same name: see docs/operations.md for the switch-over.
    /// </summary>
    public bool QuorumQueues { get; set; }
}

public static class ServiceBus
{
    /// <summary>
    /// How often a message is tried again while the store refuses it: at most 5 s apart, about 25 minutes in all, within
    /// the 30 minutes RabbitMQ waits for a delivery's acknowledgement before it closes the channel.
    /// </summary>
    internal const int StoreFaultRetries = 300;

    /// <summary>
    /// MassTransit on RabbitMQ, the outbox dispatcher, and one durable queue named for the service that
    /// receives every event its consumers handle (<paramref name="consumers"/>, and the API keys every
    /// service keeps a copy of, and the disabled users). A message that still fails after the retries is moved to
    /// <c>{queue}_error</c>, which the readiness check reports; one the store refuses for a while is tried again
    /// until the store takes it (see <see cref="StoreFault"/>).
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(this IHostApplicationBuilder builder, string queue, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        builder.Services.AddSettings<RabbitMqOptions>(RabbitMqOptions.Section);
        builder.Services.AddSettings<OutboxOptions>(OutboxOptions.Section);
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<OutboxBacklog>();
        builder.Services.BuildOnStart<OutboxBacklog>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddSingleton(sp => new ErrorQueueHealthCheck(sp.GetRequiredService<IOptions<RabbitMqOptions>>(), queue));
        builder.Services.AddHealthChecks()
            .AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"])
            .AddCheck<ErrorQueueHealthCheck>("errorQueue", HealthStatus.Degraded, ["ready"]);

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit reports its usage to masstransit.io unless told not to: a government intranet calls nobody outside.
            bus.DisableUsageTelemetry();
            // The service keeps answering HTTP while the broker is away; the outbox holds what it cannot publish yet.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Add("ready");
            });
            bus.AddConsumer<ApiKeyConsumer>();
            bus.AddConsumer<UserDisabledConsumer>();
            consumers?.Invoke(bus);

            bus.UsingRabbitMq((context, cfg) =>
            {
                var rabbit = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username!);
                    host.Password(rabbit.Password!);
                    host.PublisherConfirmation = true;
                    host.ConnectionName(queue);
                });
                cfg.ConfigureJsonSerializerOptions(MessageJson.Configure);
                cfg.PrefetchCount = rabbit.PrefetchCount;

                cfg.ReceiveEndpoint(queue, endpoint =>
                {
                    if (rabbit.QuorumQueues)
                    {
                        endpoint.SetQuorumQueue();
                    }

                    // A store that refuses for a while (disk full, locked, away) is waited out, for about 25 minutes: the message
                    // stays with the consumer and is tried again; only a longer fault parks it in the error queue.
                    endpoint.UseMessageRetry(retry =>
                    {
                        retry.Handle<Exception>(e => StoreFault.Of(e) is not null);
                        retry.Exponential(StoreFaultRetries, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
                    });
                    endpoint.UseMessageRetry(retry =>
                    {
                        retry.Ignore<Exception>(e => StoreFault.Of(e) is not null);
                        retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200));
                    });
                    endpoint.ConfigureConsumers(context);
                });
            });
        });
        return builder;
    }
}
