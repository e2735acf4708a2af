using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Which store errors pass by themselves (disk full, locked, away) and which are the request's or the code's; and of
/// those that pass, which leave it unknown whether the request was stored (a connection broken under a COMMIT).
/// </summary>
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

    [TestCase(13)]
    [TestCase(5)]
    [TestCase(10)]
    [TestCase(14)]
    public void ASqliteRefusal_StoredNothing_ItsCommitIsAtomicOnTheLocalDisk(int code) =>
        Assert.That(StoreFault.OfSqlite(code)?.OutcomeUnknown, Is.False);

    [TestCase(-2, StoreFaultKind.Locked)] // a command timeout: perhaps waiting for the answer to a COMMIT the server made
    [TestCase(-1, StoreFaultKind.Unavailable)]
    [TestCase(10053, StoreFaultKind.Unavailable)]
    [TestCase(10054, StoreFaultKind.Unavailable)]
    public void ASqlServerConnectionThatBrokeOrTimedOutUnderAStatement_LeavesTheOutcomeUnknown(int number, StoreFaultKind kind) =>
        Assert.That(StoreFault.OfSqlServer(number), Is.EqualTo(new StoreFault(kind, $"SQL Server {number}", OutcomeUnknown: true)));

    [TestCase(1105)]
    [TestCase(9002)]
    [TestCase(1222)]
    [TestCase(53)]
    [TestCase(4060)]
    [TestCase(40613)]
    public void ASqlServerRefusalThatRolledBackOrNeverBegan_StoredNothing(int number) =>
        Assert.That(StoreFault.OfSqlServer(number)?.OutcomeUnknown, Is.False);

    [TestCase("08000")]
    [TestCase("08003")]
    [TestCase("08006")]
    [TestCase("08007")] // transaction_resolution_unknown
    [TestCase("57P01")]
    [TestCase("57P02")]
    [TestCase("40003")] // statement_completion_unknown
    public void APostgresConnectionLostOrAServerShutDownUnderAStatement_LeavesTheOutcomeUnknown(string sqlState) =>
        Assert.That(StoreFault.OfPostgres(sqlState), Is.EqualTo(new StoreFault(StoreFaultKind.Unavailable, $"PostgreSQL {sqlState}", OutcomeUnknown: true)));

    [TestCase("08001")] // the client could not establish a connection
    [TestCase("08004")] // the server rejected it
    [TestCase("57P03")]
    [TestCase("53300")]
    [TestCase("53100")]
    [TestCase("55P03")]
    [TestCase("57014")]
    [TestCase("40P01")]
    [TestCase("25006")]
    public void APostgresRefusalThatRolledBackOrNeverBegan_StoredNothing(string sqlState) =>
        Assert.That(StoreFault.OfPostgres(sqlState)?.OutcomeUnknown, Is.False);

    [Test]
    public void AnNpgsqlConnectionThatBrokeUnderAWrite_LeavesTheOutcomeUnknown()
    {
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        Assert.That(StoreFault.Of(new InvalidOperationException("wrapped", broken)), Is.EqualTo(new StoreFault(StoreFaultKind.Unavailable, "PostgreSQL connection", OutcomeUnknown: true)));
    }

    [Test]
    public void AConnectionThatBrokeBeforeTheWriteBegan_StoredNothing()
    {
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());
        StoreFault.NotBegun(broken);
        var timedOut = new InvalidOperationException("wrapped", new NpgsqlException("Exception while writing to stream", new TimeoutException()));
        StoreFault.NotBegun(timedOut);

        Assert.That(StoreFault.Of(broken), Is.EqualTo(new StoreFault(StoreFaultKind.Unavailable, "PostgreSQL connection")));
        Assert.That(StoreFault.Of(timedOut)?.OutcomeUnknown, Is.False, "the mark on the wrapper covers what it wraps");
    }

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
        Assert.That(StoreFault.Of(unreachable!)?.OutcomeUnknown, Is.False, "a server never reached stored nothing");
        Assert.That(StoreFault.Of(duplicate!), Is.Null);
        Assert.That(SqlProvider.Postgres.IsUniqueViolation(duplicate!), Is.True);
        Assert.That(store.Database.LastWriteFailure, Is.Null, "a refused request is no failure of the store");
    }

    [Test]
    public void AnotherException_IsNoStoreFault() =>
        Assert.That(StoreFault.Of(new InvalidOperationException("a bug", new TimeoutException())), Is.Null);
}
