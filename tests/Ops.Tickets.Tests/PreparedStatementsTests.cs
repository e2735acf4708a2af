using Dapper;
using Microsoft.Data.Sqlite;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// On SQLite the writer keeps its statements compiled between writes: each run still sees its own values,
/// a statement that failed runs again, a query read row by row can run its own statement meanwhile, and
/// more statements than are kept still run.
/// </summary>
public class PreparedStatementsTests
{
    private TempDatabase store = null!;

    private Database Database => store.Database;

    [SetUp]
    public async Task CreateStore()
    {
        store = await TempDatabase.CreateAsync();
        await Database.WriteAsync(t => t.ExecuteAsync("CREATE TABLE written (n INTEGER NOT NULL PRIMARY KEY, label TEXT NULL)"));
    }

    [TearDown]
    public async Task DropStore() => await store.DisposeAsync();

    private const string Insert = "INSERT INTO written (n, label) VALUES (@N, @Label)";

    private Task<List<(long N, string? Label)>> WrittenAsync() =>
        Database.ReadAsync(async c => (await c.QueryAsync<(long, string?)>("SELECT n, label FROM written ORDER BY n")).AsList());

    [Test]
    public async Task OneStatementRunManyTimes_WritesEachRunsOwnValues_AlsoANull()
    {
        for (var n = 1; n <= 5; n++)
        {
            var label = n == 3 ? null : $"run {n}";
            await Database.WriteAsync(t => t.ExecuteAsync(Insert, new { N = n, Label = label }));
        }

        await Database.WriteAsync(t => t.ExecuteAsync(Insert, new[] { new { N = 6, Label = "six" }, new { N = 7, Label = "seven" } }));

        Assert.That(await WrittenAsync(), Is.EqualTo(new (long, string?)[]
        {
            (1, "run 1"), (2, "run 2"), (3, null), (4, "run 4"), (5, "run 5"), (6, "six"), (7, "seven"),
        }));
    }

    [Test]
    public async Task AStatementThatFailed_RunsAgainInTheNextWrite()
    {
        await Database.WriteAsync(t => t.ExecuteAsync(Insert, new { N = 1, Label = "first" }));

        Assert.ThrowsAsync<SqliteException>(() => Database.WriteAsync(t => t.ExecuteAsync(Insert, new { N = 1, Label = "again" })));
        await Database.WriteAsync(t => t.ExecuteAsync(Insert, new { N = 2, Label = "second" }));

        Assert.That(await WrittenAsync(), Is.EqualTo(new (long, string?)[] { (1, "first"), (2, "second") }));
    }

    [Test]
    public async Task AQueryReadRowByRow_CanRunItsOwnStatementAgainMeanwhile()
    {
        await Database.WriteAsync(t => t.ExecuteAsync(Insert, Enumerable.Range(1, 3).Select(n => new { N = n, Label = $"row {n}" })));
        const string Select = "SELECT n FROM written WHERE n >= @From ORDER BY n";

        var pairs = await Database.WriteAsync(async t =>
        {
            var seen = new List<(long Outer, long Inner)>();
            await foreach (var outer in t.Connection!.QueryUnbufferedAsync<long>(Select, new { From = 1 }, t))
            {
                var inner = await t.QueryAsync<long>(Select, new { From = outer });
                seen.Add((outer, inner.First()));
            }

            return seen;
        });

        Assert.That(pairs, Is.EqualTo(new (long, long)[] { (1, 1), (2, 2), (3, 3) }));
    }

    [Test]
    public async Task MoreStatementsThanAreKept_AllRun()
    {
        // Each text is a statement of its own: more of them than the writer keeps compiled.
        await Database.WriteAsync(async t =>
        {
            for (var n = 1; n <= 600; n++)
            {
                await t.ExecuteAsync($"INSERT INTO written (n, label) VALUES (@N, 'text {n}')", new { N = n });
            }
        });
        await Database.WriteAsync(t => t.ExecuteAsync("INSERT INTO written (n, label) VALUES (@N, 'text 1')", new { N = 601 }));

        var written = await WrittenAsync();
        Assert.That(written, Has.Count.EqualTo(601));
        Assert.That(written[^1], Is.EqualTo(((long)601, (string?)"text 1")));
    }
}
