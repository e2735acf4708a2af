using Dapper;
using Microsoft.Data.Sqlite;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>Which store errors pass by themselves (disk full, locked, away) and which are the request's or the code's.</summary>
public class StoreFaultTests
{
    [TestCase(13, StoreFaultKind.Full)]
    [TestCase(5, StoreFaultKind.Locked)]
    [TestCase(6, StoreFaultKind.Locked)]
    [TestCase(10, StoreFaultKind.Unavailable)]
    [TestCase(14, StoreFaultKind.Unavailable)]
    public void ASqliteRefusalThatPasses_IsAStoreFault(int code, StoreFaultKind kind) =>
        Assert.That(StoreFault.Of(new InvalidOperationException("wrapped", new SqliteException("refused", code)))?.Kind, Is.EqualTo(kind));

    [TestCase(19)] // SQLITE_CONSTRAINT: the request's fault, not the machine's
    [TestCase(1)]
    public void ASqliteErrorOfTheRequestOrTheCode_IsNoStoreFault(int code) =>
        Assert.That(StoreFault.Of(new SqliteException("refused", code)), Is.Null);

    [TestCase(1105, StoreFaultKind.Full)]
    [TestCase(9002, StoreFaultKind.Full)]
    [TestCase(1222, StoreFaultKind.Locked)]
    [TestCase(-2, StoreFaultKind.Locked)]
    [TestCase(53, StoreFaultKind.Unavailable)]
    [TestCase(4060, StoreFaultKind.Unavailable)]
    public void ASqlServerRefusalThatPasses_IsAStoreFault(int number, StoreFaultKind kind) =>
        Assert.That(StoreFault.OfSqlServer(number)?.Kind, Is.EqualTo(kind));

    [TestCase(2627)]
    [TestCase(547)]
    public void ASqlServerConstraintViolation_IsNoStoreFault(int number) =>
        Assert.That(StoreFault.OfSqlServer(number), Is.Null);

    [TestCase("53100", StoreFaultKind.Full)]
    [TestCase("55P03", StoreFaultKind.Locked)]
    [TestCase("40P01", StoreFaultKind.Locked)]
    [TestCase("08006", StoreFaultKind.Unavailable)]
    [TestCase("57P01", StoreFaultKind.Unavailable)]
    [TestCase("25006", StoreFaultKind.Unavailable)]
    public void APostgresRefusalThatPasses_IsAStoreFault(string sqlState, StoreFaultKind kind) =>
        Assert.That(StoreFault.OfPostgres(sqlState)?.Kind, Is.EqualTo(kind));

    [TestCase("23505")] // unique_violation: the request's
    [TestCase("42703")] // undefined_column: the code's
    public void APostgresErrorOfTheRequestOrTheCode_IsNoStoreFault(string sqlState) =>
        Assert.That(StoreFault.OfPostgres(sqlState), Is.Null);

    [Test]
    public async Task APostgresServerThatIsAway_IsAStoreFault_AndAConstraintViolation_IsNot()
    {
        await using var away = new Database(SqlProvider.Postgres, "Host=127.0.0.1;Port=1;Username=ops;Timeout=2");
        var unreachable = Assert.CatchAsync(() => away.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT 1")));
        await using var store = await TempDatabase.CreateAsync(TestStore.Postgres);
        var insert = "INSERT INTO disabled_subjects (subject, disabled_at) VALUES ('local:x', @At)";
        await store.Database.WriteAsync(t => t.ExecuteAsync(insert, new { At = DateTimeOffset.UtcNow }));
        var duplicate = Assert.CatchAsync(() => store.Database.WriteAsync(t => t.ExecuteAsync(insert, new { At = DateTimeOffset.UtcNow })));

        Assert.That(StoreFault.Of(unreachable!)?.Kind, Is.EqualTo(StoreFaultKind.Unavailable), unreachable!.ToString());
        Assert.That(StoreFault.Of(duplicate!), Is.Null);
        Assert.That(SqlProvider.Postgres.IsUniqueViolation(duplicate!), Is.True);
        Assert.That(store.Database.LastWriteFailure, Is.Null, "a refused request is no failure of the store");
    }

    [Test]
    public void AnotherException_IsNoStoreFault() =>
        Assert.That(StoreFault.Of(new InvalidOperationException("a bug", new TimeoutException())), Is.Null);
}
