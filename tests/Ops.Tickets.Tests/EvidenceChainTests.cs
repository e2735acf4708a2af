using Dapper;
using Ops.Hosting.Audit;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// An evidence chain appended to from many places at once stays one chain: each append takes the head in turn, also when
/// two instances of a service append to one chain in a shared database.
/// </summary>
[TestFixture(TestStore.Sqlite)]
[TestFixture(TestStore.Postgres)]
public class EvidenceChainTests(TestStore store)
{
    private const string Chain = "test-entries";

    private sealed record Entry : IChainedEntry
    {
        public long? ChainSeq { get; init; }

        public string? PrevHash { get; init; }

        public string? Hash { get; init; }

        public required string Text { get; init; }

        public string Describe() => Text;

        public string Content() => EvidenceChain.Content(Text);
    }

    private static readonly ChainedTable Entries = new ChainedTable<Entry>(Chain, ("测试", "test"),
        "SELECT chain_seq AS ChainSeq, prev_hash AS PrevHash, hash AS Hash, text AS Text FROM test_entries ORDER BY chain_seq");

    /// <summary>Entries of a chain of the test's own; a fork would show as two entries of one sequence number, so none is unique.</summary>
    private static Task CreateEntriesAsync(Database database) =>
        database.WriteAsync(t => t.ExecuteAsync("CREATE TABLE test_entries (chain_seq bigint NOT NULL, prev_hash char(64) NOT NULL, hash char(64) NOT NULL, text text NOT NULL)"));

    private static Task AppendAsync(Database database, EvidenceChain chain, string text) =>
        database.WriteAsync(async t =>
        {
            var link = await chain.LinkAsync(t, Chain, EvidenceChain.Content(text));
            await t.ExecuteAsync("INSERT INTO test_entries (chain_seq, prev_hash, hash, text) VALUES (@Seq, @PrevHash, @Hash, @Text)", new { link.Seq, link.PrevHash, link.Hash, Text = text });
        });

    [Test]
    public async Task TwoInstancesAppendingToOneNewChainAtOnce_NeverForkIt()
    {
        await using var shared = await SharedStore.CreateAsync(store);
        await CreateEntriesAsync(shared.First);
        var instances = new[] { shared.First, shared.Second };

        // Four writers in each instance, from the chain's very first entry: its head is created by whichever comes first.
        await Task.WhenAll(instances.SelectMany((database, i) => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var chain = TestSecrets.Evidence(database);
            for (var n = 0; n < 25; n++)
            {
                await AppendAsync(database, chain, $"instance {i} writer {w} entry {n}");
            }
        }))));

        var report = (await new EvidenceVerifier(shared.Second, TestSecrets.Evidence(shared.Second), [Entries]).VerifyAsync()).Single();
        var seqs = await shared.First.ReadAsync(c => c.QueryAsync<long>("SELECT chain_seq FROM test_entries ORDER BY chain_seq"));
        Assert.That(seqs, Is.EqualTo(Enumerable.Range(1, 200).Select(n => (long)n)), "every place in the chain taken once");
        Assert.That(report.FirstBroken, Is.Null);
        Assert.That((report.Entries, report.Intact), Is.EqualTo((200L, true)));
    }

    [Test]
    public async Task AnAppendRolledBack_LeavesTheHeadWhereItWas()
    {
        await using var database = await TempDatabase.CreateAsync(store);
        await CreateEntriesAsync(database.Database);
        var chain = TestSecrets.Evidence(database.Database);
        await AppendAsync(database.Database, chain, "kept");

        Assert.That(async () => await database.Database.WriteAsync(async t =>
        {
            await chain.LinkAsync(t, Chain, EvidenceChain.Content("rolled back"));
            throw new InvalidOperationException("the change the entry belongs to failed");
        }), Throws.InvalidOperationException);
        await AppendAsync(database.Database, chain, "next");

        var report = (await new EvidenceVerifier(database.Database, chain, [Entries]).VerifyAsync()).Single();
        Assert.That((report.Entries, report.Intact), Is.EqualTo((2L, true)));
    }
}
