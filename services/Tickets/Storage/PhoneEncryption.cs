using Dapper;
using Ops.Hosting.Storage;

namespace Ops.Tickets.Storage;

/// <summary>
/// Encrypts the phone numbers of tickets stored before encryption, once, at start (after the schema
/// scripts, before anything else): a script cannot encrypt, and a row converted only when it is read
/// would keep its number readable for as long as nobody opens it. The file is then rewritten and the log
/// emptied, so no free page or earlier page keeps a number. Rows already encrypted are left alone.
/// </summary>
internal sealed class PhoneEncryption(Database database, PhoneCipher cipher, ILogger<PhoneEncryption> logger) : IHostedLifecycleService
{
    private const int Batch = 500;

    private sealed record StoredPhone(Guid Id, string ReporterPhone);

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var sql = TicketSql.For(database.Provider);
        var converted = 0;
        while (true)
        {
            var rows = (await database.ReadAsync(c => c.QueryAsync<StoredPhone>(sql.PlainPhones, new { Limit = Batch }), cancellationToken)).AsList();
            if (rows.Count == 0)
            {
                break;
            }

            await database.WriteAsync(async t =>
            {
                foreach (var row in rows)
                {
                    await t.ExecuteAsync(sql.EncryptPhone, new { row.Id, Plain = row.ReporterPhone, ReporterPhone = cipher.Encrypt(row.Id, row.ReporterPhone) });
                }

                return rows.Count;
            }, cancellationToken);
            converted += rows.Count;
        }

        if (converted > 0)
        {
            await database.EraseOldPagesAsync(cancellationToken);
            logger.LogInformation("Encrypted the reporter phone numbers of {Count} tickets stored before encryption", converted);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
