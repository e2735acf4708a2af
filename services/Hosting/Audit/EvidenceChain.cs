using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Ops.Hosting.Storage;

namespace Ops.Hosting.Audit;

/// <summary>An entry of an evidence chain: its place in the chain, the hash of the entry before it and its own.</summary>
public interface IChainedEntry
{
    long? ChainSeq { get; }

    string? PrevHash { get; }

    string? Hash { get; }

    /// <summary>How a person finds the entry (e.g. the ticket number and version).</summary>
    string Describe();

    /// <summary>The entry's facts in a fixed text form; what its hash seals.</summary>
    string Content();
}

/// <summary>Where an entry goes in its chain, to be stored with it.</summary>
public sealed record ChainLink(long Seq, string PrevHash, string Hash);

/// <summary>
/// Append-only evidence (ticket timelines, clock outcomes, the deduction ledger) is hash-chained: each
/// entry stores its sequence number, the previous entry's hash and its own hash, an HMAC-SHA256 (keyed by
/// <see cref="AuditOptions.ChainKey"/>) of the three. Changing, inserting or deleting a row breaks the chain
/// at that row; <see cref="EvidenceVerifier"/> finds the first break. The head (newest sequence and hash)
/// is kept in <c>evidence_chains</c>, so removing the newest entries is noticed too.
/// </summary>
public sealed class EvidenceChain(Database database, IOptions<AuditOptions> options)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly byte[] key = options.Value.ChainKeyBytes();
    private readonly EvidenceSql sql = EvidenceSql.For(database.Provider);

    private sealed record Head
    {
        public required long LastSeq { get; init; }
        public required string LastHash { get; init; }
    }

    /// <summary>
    /// Links <paramref name="entries"/> (in order) to the end of <paramref name="chain"/>, inside the caller's
    /// transaction. Each entry's content is made as it is sealed, so a batch of thousands never holds them all.
    /// </summary>
    public Task<IReadOnlyList<ChainLink>> LinkAsync(DbTransaction transaction, string chain, IReadOnlyCollection<IChainedEntry> entries) =>
        LinkAsync(transaction, chain, entries.Count, entries.Select(e => e.Content()));

    /// <summary>Links one entry's <paramref name="content"/> to the end of <paramref name="chain"/>, inside the caller's transaction.</summary>
    public async Task<ChainLink> LinkAsync(DbTransaction transaction, string chain, string content) =>
        (await LinkAsync(transaction, chain, 1, [content]))[0];

    private async Task<IReadOnlyList<ChainLink>> LinkAsync(DbTransaction transaction, string chain, int count, IEnumerable<string> contents)
    {
        if (count == 0)
        {
            return [];
        }

        var head = await transaction.QuerySingleOrDefaultAsync<Head>(sql.ReadHead, new { Chain = chain });
        if (head is null)
        {
            head = new Head { LastSeq = 0, LastHash = Genesis };
            await transaction.ExecuteAsync(sql.InsertHead, new { Chain = chain, head.LastSeq, head.LastHash });
        }

        var links = new List<ChainLink>(count);
        var (seq, previous) = (head.LastSeq, head.LastHash);
        foreach (var content in contents)
        {
            seq++;
            var hash = Seal(seq, previous, content);
            links.Add(new ChainLink(seq, previous, hash));
            previous = hash;
        }

        await transaction.ExecuteAsync(sql.UpdateHead, new { Chain = chain, LastSeq = seq, LastHash = previous });
        return links;
    }

    /// <summary>The hash an entry with this place and content must carry.</summary>
    public string Seal(long seq, string previousHash, string content)
    {
        var text = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seq}\n{previousHash}\n{content}"));
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, text));
    }

    /// <summary>
    /// Joins an entry's facts into its content: times as UTC round-trip text, ids as 32 hex digits, numbers
    /// invariant, absent values as a marker no text can be. Fields are separated by a unit separator.
    /// </summary>
    public static string Content(params object?[] fields) =>
        string.Join('\u001f', fields.Select(f => f switch
        {
            null => "\u2400",
            DateTimeOffset t => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            Guid g => g.ToString("N"),
            IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
            _ => f.ToString()!.Replace("\u001f", "\\u001f", StringComparison.Ordinal),
        }));
}

internal abstract class EvidenceSql : SqlStatements
{
    public static EvidenceSql For(SqlProvider provider) => provider switch
    {
        SqlProvider.Sqlite => new SqliteEvidenceSql(),
        SqlProvider.Postgres => new PostgresEvidenceSql(),
        _ => new SqlServerEvidenceSql(),
    };

    public abstract string ReadHead { get; }

    public string InsertHead => "INSERT INTO evidence_chains (chain, last_seq, last_hash) VALUES (@Chain, @LastSeq, @LastHash)";

    public string UpdateHead => "UPDATE evidence_chains SET last_seq = @LastSeq, last_hash = @LastHash WHERE chain = @Chain";
}

internal sealed class SqliteEvidenceSql : EvidenceSql
{
    public override SqlProvider Provider => SqlProvider.Sqlite;

    public override string ReadHead => "SELECT last_seq AS LastSeq, last_hash AS LastHash FROM evidence_chains WHERE chain = @Chain";
}

internal sealed class SqlServerEvidenceSql : EvidenceSql
{
    public override SqlProvider Provider => SqlProvider.SqlServer;

    /// <summary>Holds the head until the appending transaction ends: appends to one chain take turns.</summary>
    public override string ReadHead => "SELECT last_seq AS LastSeq, last_hash AS LastHash FROM evidence_chains WITH (UPDLOCK, HOLDLOCK) WHERE chain = @Chain";
}

internal sealed class PostgresEvidenceSql : EvidenceSql
{
    public override SqlProvider Provider => SqlProvider.Postgres;

    /// <summary>
    /// The head, made at genesis when the chain has none, locked until the appending transaction ends: appends to one
    /// chain take turns, also the first two of a new chain (a plain read would lock no row yet).
    /// </summary>
    public override string ReadHead => $"""
        INSERT INTO evidence_chains (chain, last_seq, last_hash) VALUES (@Chain, 0, '{EvidenceChain.Genesis}')
        ON CONFLICT (chain) DO UPDATE SET last_seq = evidence_chains.last_seq
        RETURNING last_seq AS LastSeq, last_hash AS LastHash
        """;
}
