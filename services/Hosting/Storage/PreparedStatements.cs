using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;

namespace Ops.Hosting.Storage;

/// <summary>
/// The SQLite writer's statements, compiled once and kept. Microsoft.Data.Sqlite compiles a statement for
/// each command and throws it away with the command (it keeps none between commands, efcore#14044), and
/// Dapper makes a command per call: compiling the same few dozen statements again was the largest single
/// cost in every service (docs/performance.md#statements-compiled-once). Dapper is
/// handed this connection inside a write transaction: its commands run on the kept, compiled command for
/// their text, with the parameters named as the statements write them ('@Name').
/// (Written by hand because neither Dapper nor Microsoft.Data.Sqlite offers it; it serves only the one
/// long-lived writer connection, which runs one write at a time.)
/// </summary>
internal sealed class PreparedStatements(SqliteConnection writer) : DbConnection
{
    /// <summary>Statements kept at most; past it they are all let go and compiled again as they come.</summary>
    private const int Limit = 512;

    /// <summary>Dapper's parameter names with the '@' the statements use, made once per name.</summary>
    private static readonly ConcurrentDictionary<string, string> Prefixed = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (SqliteCommand Command, SqliteDataReader? Reader)> kept = new(StringComparer.Ordinal);

    /// <summary>The connection the statements are kept on; it closes when this is disposed.</summary>
    public SqliteConnection Writer => writer;

    /// <summary>The writer's transaction as Dapper is to see it: its connection is this one.</summary>
    public DbTransaction Enlist(SqliteTransaction transaction) => new Transaction(this, transaction);

    /// <summary>Runs <paramref name="run"/> on the compiled command for <paramref name="text"/>, its parameters moved over from <paramref name="source"/>.</summary>
    private T Run<T>(string text, SqliteParameterCollection source, SqliteTransaction? transaction, int timeout, Func<SqliteCommand, T> run)
    {
        if (!kept.TryGetValue(text, out var entry) || entry.Reader is { IsClosed: false })
        {
            if (entry.Command is not null)
            {
                // A reader of the kept command is still open (a query read row by row): this one runs on its own.
                return run(Bind(new SqliteCommand(text, writer), source, transaction, timeout));
            }

            if (kept.Count >= Limit)
            {
                Forget();
            }

            entry = (new SqliteCommand(text, writer), null);
            kept[text] = entry;
        }

        var result = run(Bind(entry.Command, source, transaction, timeout));
        kept[text] = (entry.Command, result as SqliteDataReader);
        return result;
    }

    private static SqliteCommand Bind(SqliteCommand command, SqliteParameterCollection source, SqliteTransaction? transaction, int timeout)
    {
        command.Transaction = transaction;
        command.CommandTimeout = timeout;
        command.Parameters.Clear();
        foreach (SqliteParameter parameter in source)
        {
            if (parameter.ParameterName is { Length: > 0 } name && name[0] is not ('@' or '$' or ':'))
            {
                parameter.ParameterName = Prefixed.GetOrAdd(name, n => "@" + n);
            }

            command.Parameters.Add(parameter);
        }

        return command;
    }

    private void Forget()
    {
        foreach (var (command, reader) in kept.Values)
        {
            // A command whose reader is still being read is left to the connection, which ends it when it closes.
            if (reader is null or { IsClosed: true })
            {
                command.Dispose();
            }
        }

        kept.Clear();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Forget();
            writer.Dispose();
        }

        base.Dispose(disposing);
    }

    [AllowNull]
    public override string ConnectionString
    {
        get => writer.ConnectionString;
        set => throw new NotSupportedException();
    }

    public override string Database => writer.Database;

    public override string DataSource => writer.DataSource;

    public override string ServerVersion => writer.ServerVersion;

    public override ConnectionState State => writer.State;

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    public override void Open() => writer.Open();

    public override void Close()
    {
        // The writer stays open until this is disposed.
    }

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        throw new NotSupportedException("The database begins the writer's transactions.");

    protected override DbCommand CreateDbCommand() => new Command(this);

    /// <summary>The writer's transaction, with this connection as its connection.</summary>
    private sealed class Transaction(PreparedStatements connection, SqliteTransaction inner) : DbTransaction
    {
        public SqliteTransaction Inner => inner;

        public override IsolationLevel IsolationLevel => inner.IsolationLevel;

        protected override DbConnection DbConnection => connection;

        public override void Commit() => throw new NotSupportedException("The database commits the writer's transactions.");

        public override void Rollback() => throw new NotSupportedException("The database rolls back the writer's transactions.");
    }

    /// <summary>What Dapper fills in: the text and the parameters, run on the kept command when executed.</summary>
    private sealed class Command(PreparedStatements connection) : DbCommand
    {
        private readonly SqliteCommand parameters = new();

        [AllowNull]
        public override string CommandText { get; set; } = "";

        public override int CommandTimeout { get; set; } = 30;

        public override CommandType CommandType
        {
            get => CommandType.Text;
            set
            {
                if (value != CommandType.Text)
                {
                    throw new NotSupportedException("SQLite runs text commands only.");
                }
            }
        }

        public override bool DesignTimeVisible { get; set; }

        public override UpdateRowSource UpdatedRowSource { get; set; }

        protected override DbConnection? DbConnection
        {
            get => connection;
            set
            {
                if (value != connection)
                {
                    throw new NotSupportedException("A writer's command stays on the writer.");
                }
            }
        }

        protected override DbParameterCollection DbParameterCollection => parameters.Parameters;

        protected override DbTransaction? DbTransaction { get; set; }

        private SqliteTransaction? Inner => (DbTransaction as Transaction)?.Inner;

        public override void Cancel()
        {
        }

        public override void Prepare()
        {
        }

        protected override DbParameter CreateDbParameter() => new SqliteParameter();

        public override int ExecuteNonQuery() =>
            connection.Run(CommandText, parameters.Parameters, Inner, CommandTimeout, c => c.ExecuteNonQuery());

        public override object? ExecuteScalar() =>
            connection.Run(CommandText, parameters.Parameters, Inner, CommandTimeout, c => c.ExecuteScalar());

        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
            connection.Run(CommandText, parameters.Parameters, Inner, CommandTimeout, c => c.ExecuteReader(behavior & ~CommandBehavior.CloseConnection));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                parameters.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
