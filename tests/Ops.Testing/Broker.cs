using System.Diagnostics;
using MassTransit;
using Ops.Hosting.Messaging;

namespace Ops.Testing;

/// <summary>
/// The private RabbitMQ broker of the test run, driven through <c>deploy/rabbitmq.sh</c>. ./deploy/test.sh
/// starts it (OPS_RABBITMQ_PORT, OPS_RABBITMQ_DIR); a plain <c>dotnet test</c> starts one of its own.
/// </summary>
public sealed class Broker(string repository)
{
    private readonly System.Collections.Concurrent.ConcurrentBag<string> observers = [];

    /// <summary>A broker of its own on <paramref name="port"/> with its state in <paramref name="directory"/>, apart from the run's: for a test that kills it.</summary>
    public Broker(string repository, int port, string directory)
        : this(repository)
    {
        Port = port;
        Directory = directory;
    }

    public int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("OPS_RABBITMQ_PORT") ?? "5692", System.Globalization.CultureInfo.InvariantCulture);

    public string Directory { get; } = Environment.GetEnvironmentVariable("OPS_RABBITMQ_DIR") ?? Path.Combine(repository, ".local", "test-rabbitmq");

    public string User { get; private set; } = "";

    public string Password { get; private set; } = "";

    public async Task StartAsync()
    {
        await RunAsync("start");
        await ReadAccountAsync();
    }

    /// <summary>
    /// The run's broker as ./deploy/test.sh started it (OPS_RABBITMQ_PORT set, the VM of its state directory running and
    /// accepting on the port): only its account is read, without <c>rabbitmq.sh start</c>, whose check of a running broker
    /// boots an Erlang VM for rabbitmqctl (seconds, tens of them on a busy machine). Started as <see cref="StartAsync"/> otherwise.
    /// </summary>
    public async Task StartOrAttachAsync()
    {
        if (Environment.GetEnvironmentVariable("OPS_RABBITMQ_PORT") is not null
            && File.Exists(Path.Combine(Directory, "amqp.env"))
            && VirtualMachine() is not null
            && await AcceptsAsync())
        {
            await ReadAccountAsync();
            return;
        }

        await StartAsync();
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The broker's only account, from the amqp.env that its first start wrote.</summary>
    private async Task ReadAccountAsync()
    {
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(Directory, "amqp.env")))
        {
            var (key, value) = (line.Split('=', 2)[0], line.Split('=', 2)[^1]);
            if (key == "OPS_RABBITMQ_USER")
            {
                User = value;
            }
            else if (key == "OPS_RABBITMQ_PASSWORD")
            {
                Password = value;
            }
        }
    }

    /// <summary>
    /// A bus of the test's own on this broker, to watch what the services publish: one queue that is deleted
    /// when the bus stops, its handlers set by <paramref name="handlers"/>.
    /// </summary>
    public IBusControl Observer(string name, Action<IRabbitMqReceiveEndpointConfigurator> handlers)
    {
        var queue = $"{name}-{Guid.NewGuid():N}";
        observers.Add(queue);
        return Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)Port, "/", h =>
            {
                h.Username(User);
                h.Password(Password);
            });
            cfg.ConfigureJsonSerializerOptions(MessageJson.Configure);
            cfg.ReceiveEndpoint(queue, e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                handlers(e);
            });
        });
    }

    public Task StopAsync() => RunAsync("stop");

    /// <summary>Ends the broker's Erlang VM at once (SIGKILL), as a crash or a power cut would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (VirtualMachine() is not { } vm)
        {
            throw new InvalidOperationException($"No broker runs from {Directory}.");
        }

        using var process = Process.GetProcessById(vm.ProcessId);
        process.Kill();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (VirtualMachine() is not null)
        {
            // A killed VM nobody reaps stays a zombie, whose command line is empty: VirtualMachine() no longer finds it.
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"The broker's VM {vm.ProcessId} is still running 10 s after SIGKILL.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The broker's Erlang VM (beam.smp), found by its state directory: its process id and command line, or null when it is not running.</summary>
    public (int ProcessId, string[] Arguments)? VirtualMachine()
    {
        var home = Path.Combine(Directory, "home");
        foreach (var process in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid))
            {
                continue;
            }

            string[] arguments;
            try
            {
                arguments = File.ReadAllText(Path.Combine(process, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile, or not ours to read
            }

            var homeFlag = Array.IndexOf(arguments, "-home");
            if (arguments[0].EndsWith("beam.smp", StringComparison.Ordinal) && homeFlag >= 0 && homeFlag + 1 < arguments.Length && arguments[homeFlag + 1] == home)
            {
                return (pid, arguments);
            }
        }

        return null;
    }

    /// <summary>Waits until no message waits in, or is being handled from, the service queues and the test's observers.</summary>
    /// <remarks>Asks once a second: each question starts <c>rabbitmqctl</c>, about a second of CPU, which a tighter loop would take from the services it waits for.</remarks>
    public async Task WaitUntilIdleAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        IReadOnlyList<Queue> busy = [];
        while (DateTime.UtcNow < until)
        {
            busy = [.. (await QueuesAsync())
                .Where(q => q.Name is "tickets" or "sla-timer" or "scoring" || observers.Contains(q.Name))
                .Where(q => q.Ready != 0 || q.Unacknowledged != 0)];
            if (busy.Count == 0)
            {
                return;
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"The service queues are still busy after {timeout}: {string.Join(", ", busy.Select(q => $"{q.Name} {q.Ready} ready, {q.Unacknowledged} unacknowledged"))}.");
    }

    /// <summary>
    /// A queue as the broker lists it: its name, its message counts (-1 where the broker gave none, as for a
    /// queue that is restarting), the policy that applies to it and its type (<c>classic</c> or <c>quorum</c>).
    /// </summary>
    public sealed record Queue(string Name, long Ready, long Unacknowledged, string Policy, string Type);

    /// <summary>The queues of <paramref name="virtualHost"/>.</summary>
    public async Task<IReadOnlyList<Queue>> QueuesAsync(string virtualHost = "/") =>
        (await RunAsync("queues", virtualHost)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(l => l.Split('\t'))
            .Where(f => f.Length >= 3)
            .Select(f => new Queue(f[0], Count(f[1]), Count(f[2]), f.Length > 3 ? f[3] : "", f.Length > 4 ? f[4] : ""))
            .ToList();

    /// <summary>A virtual host of the test's own on this broker, apart from the run's queues, that the broker's account may use.</summary>
    public Task AddVirtualHostAsync(string name) => RunAsync("vhost", "add", name);

    /// <summary>Deletes the virtual host and its queues.</summary>
    public Task DeleteVirtualHostAsync(string name) => RunAsync("vhost", "delete", name);

    private static long Count(string field) =>
        long.TryParse(field, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : -1;

    private async Task<string> RunAsync(params string[] command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(repository, "deploy", "rabbitmq.sh"), .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OPS_RABBITMQ_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OPS_RABBITMQ_DIR"] = Directory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/rabbitmq.sh {string.Join(' ', command)} failed: {await error}");
        }

        return await output;
    }
}
