using System.Data.Common;
using Dapper;

namespace Ops.Hosting.Storage;

/// <summary>Dapper calls that run inside a write transaction, so no call forgets to pass it.</summary>
public static class TransactionQueries
{
    public static Task<int> ExecuteAsync(this DbTransaction transaction, string sql, object? parameters = null) =>
        Connection(transaction).ExecuteAsync(sql, parameters, transaction);

    public static Task<IEnumerable<T>> QueryAsync<T>(this DbTransaction transaction, string sql, object? parameters = null) =>
        Connection(transaction).QueryAsync<T>(sql, parameters, transaction);

    public static Task<T?> QuerySingleOrDefaultAsync<T>(this DbTransaction transaction, string sql, object? parameters = null) =>
        Connection(transaction).QuerySingleOrDefaultAsync<T>(sql, parameters, transaction);

    public static Task<T> QuerySingleAsync<T>(this DbTransaction transaction, string sql, object? parameters = null) =>
        Connection(transaction).QuerySingleAsync<T>(sql, parameters, transaction);

    public static Task<T?> ExecuteScalarAsync<T>(this DbTransaction transaction, string sql, object? parameters = null) =>
        Connection(transaction).ExecuteScalarAsync<T>(sql, parameters, transaction);

    private static DbConnection Connection(DbTransaction transaction) =>
        transaction.Connection ?? throw new InvalidOperationException("The transaction has ended.");
}
