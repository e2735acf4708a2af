using Dapper;
using Ops.Hosting.Http;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Audit;

/// <summary>One evidence chain of a service: its name and the query that reads its entries in chain order.</summary>
public abstract class ChainedTable
{
    public abstract string Chain { get; }

    /// <summary>What the chain holds, for people.</summary>
    public abstract string Description { get; }

    internal abstract IAsyncEnumerable<IChainedEntry> ReadAsync(Database database, CancellationToken cancellationToken);
}

/// <summary>A chain whose entries Dapper reads as <typeparamref name="TEntry"/> with <paramref name="selectInChainOrder"/>.</summary>
/// <remarks>The description is a Chinese and an English text, read in the language of the request that checks the chain.</remarks>
public sealed class ChainedTable<TEntry>(string chain, (string Zh, string En) description, string selectInChainOrder) : ChainedTable
    where TEntry : IChainedEntry
{
    public override string Chain => chain;

    public override string Description => L10n.Of(description.Zh, description.En);

    internal override async IAsyncEnumerable<IChainedEntry> ReadAsync(Database database, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await foreach (var entry in connection.QueryUnbufferedAsync<TEntry>(selectInChainOrder).WithCancellation(cancellationToken))
        {
            yield return entry;
        }
    }
}

/// <summary>The state of one chain: how many entries it has, and the first broken one if any.</summary>
public sealed record ChainReport(string Chain, string Description, long Entries, bool Intact, BrokenEntry? FirstBroken);

/// <summary>The first entry that does not match its seal, with what is wrong with it.</summary>
public sealed record BrokenEntry(long? Seq, string Entry, string Problem);

/// <summary>Walks every chain of the service from its first entry and names the first one that was changed, inserted or removed.</summary>
public sealed class EvidenceVerifier(Database database, EvidenceChain seal, IEnumerable<ChainedTable> tables)
{
    private sealed record Head
    {
        public required long LastSeq { get; init; }
        public required string LastHash { get; init; }
    }

    public async Task<IReadOnlyList<ChainReport>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var reports = new List<ChainReport>();
        foreach (var table in tables)
        {
            reports.Add(await VerifyAsync(table, cancellationToken));
        }

        return reports;
    }

    private async Task<ChainReport> VerifyAsync(ChainedTable table, CancellationToken cancellationToken)
    {
        // The head first: entries appended while the chain is read are left for the next check.
        var head = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Head>(
            "SELECT last_seq AS LastSeq, last_hash AS LastHash FROM evidence_chains WHERE chain = @Chain", new { table.Chain }), cancellationToken);
        var (headSeq, headHash) = head is null ? (0L, EvidenceChain.Genesis) : (head.LastSeq, head.LastHash);

        long count = 0;
        var (expectedSeq, previous) = (1L, EvidenceChain.Genesis);
        await foreach (var entry in table.ReadAsync(database, cancellationToken))
        {
            if (entry.ChainSeq > headSeq)
            {
                break;
            }

            count++;
            var problem =
                entry.ChainSeq is null || entry.Hash is null ? L10n.Of("该条目没有封印（在服务之外写入）", "the entry carries no seal (written outside the service)")
                : entry.ChainSeq < expectedSeq ? L10n.Of($"第 {entry.ChainSeq} 条出现了两次", $"entry {entry.ChainSeq} appears twice")
                : entry.ChainSeq > expectedSeq ? L10n.Of($"第 {expectedSeq} 至 {entry.ChainSeq - 1} 条缺失（已被删除）", $"entries {expectedSeq} to {entry.ChainSeq - 1} are missing (deleted)")
                : entry.PrevHash != previous ? L10n.Of("它与前一条的链接不符（前面有条目被替换）", "its link to the entry before it does not match (an entry before it was replaced)")
                : entry.Hash != seal.Seal(entry.ChainSeq.Value, previous, entry.Content()) ? L10n.Of("内容与封印不符（写入后被改动）", "its content does not match its seal (changed after it was written)")
                : null;
            if (problem is not null)
            {
                return Broken(table, count, new BrokenEntry(entry.ChainSeq, entry.Describe(), problem));
            }

            (expectedSeq, previous) = (expectedSeq + 1, entry.Hash!);
        }

        if (expectedSeq - 1 != headSeq || previous != headHash)
        {
            return Broken(table, count, new BrokenEntry(expectedSeq, L10n.Of("（链尾）", "(end of chain)"),
                expectedSeq - 1 < headSeq
                    ? L10n.Of($"链止于第 {expectedSeq - 1} 条，但已写入 {headSeq} 条（最新的条目被删除）", $"the chain ends at entry {expectedSeq - 1} but {headSeq} were written (the newest were deleted)")
                    : L10n.Of("链记录的末尾与最后一条不符", "the chain's recorded end does not match its last entry")));
        }

        return new ChainReport(table.Chain, table.Description, count, Intact: true, FirstBroken: null);
    }

    private static ChainReport Broken(ChainedTable table, long count, BrokenEntry entry) =>
        new(table.Chain, table.Description, count, Intact: false, entry);
}
