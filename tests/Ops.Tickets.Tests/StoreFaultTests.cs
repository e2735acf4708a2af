using Microsoft.Data.Sqlite;
using Ops.Hosting.Storage;

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

    [Test]
    public void AnotherException_IsNoStoreFault() =>
        Assert.That(StoreFault.Of(new InvalidOperationException("a bug", new TimeoutException())), Is.Null);
}
