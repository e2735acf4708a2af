using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ops.Hosting.Storage;
using Ops.Testing;
using Ops.Tickets.Storage;

namespace Ops.Tickets.Tests;

/// <summary>The tickets database on disk: readable by its owner only, and no reporter's phone number in it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class DataAtRestTests
{
    private string dataDirectory = null!;

    [SetUp]
    public void NewFolder() => dataDirectory = Path.Combine(TestFolder.Create(), "data");

    [TearDown]
    public void RemoveFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path.GetDirectoryName(dataDirectory)))
        {
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
    }

    private ServiceFactory<Program> Service()
    {
        var service = new ServiceFactory<Program>();
        service.Settings["Database:DataDirectory"] = dataDirectory;
        return service;
    }

    private static async Task<(string Id, string Phone)> ReportAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/tickets", Reports.Valid());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");
        return (id, detail.GetProperty("reporter").GetProperty("phone").GetString()!);
    }

    /// <summary>The database files (<c>tickets.db</c>, its log and its shared memory) that hold <paramref name="text"/> as it is.</summary>
    private List<string> FilesHolding(string text)
    {
        var wanted = Encoding.UTF8.GetBytes(text);
        return [.. Directory.GetFiles(dataDirectory, "tickets.db*").Where(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray().AsSpan().IndexOf(wanted) >= 0;
        }).Select(f => Path.GetFileName(f))];
    }

    [Test]
    public async Task TheDataFolderAndEveryDatabaseFile_AreTheOwnersOnly_AfterWrites()
    {
        await using var service = Service();
        await ReportAsync(service.CreateClient());

        var files = Directory.GetFiles(dataDirectory, "tickets.db*");
        Assert.That(files.Select(f => Path.GetFileName(f)), Is.SupersetOf(new[] { "tickets.db", "tickets.db-wal", "tickets.db-shm" }));
        Assert.That(File.GetUnixFileMode(dataDirectory), Is.EqualTo(OwnerOnlyFiles.Folder));
        Assert.That(files.ToDictionary(f => Path.GetFileName(f), f => File.GetUnixFileMode(f)), Has.All.Property("Value").EqualTo(OwnerOnlyFiles.File));
    }

    [Test]
    public async Task AnExistingDataFolderAndDatabase_AreMadeTheOwnersOnly_AtStart()
    {
        Directory.CreateDirectory(dataDirectory);
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_101_101);
        await File.WriteAllBytesAsync(Path.Combine(dataDirectory, "tickets.db"), []);
        File.SetUnixFileMode(Path.Combine(dataDirectory, "tickets.db"), (UnixFileMode)0b110_100_100);

        await using var service = Service();
        await ReportAsync(service.CreateClient());

        Assert.That(File.GetUnixFileMode(dataDirectory), Is.EqualTo(OwnerOnlyFiles.Folder));
        Assert.That(Directory.GetFiles(dataDirectory, "tickets.db*").Select(f => File.GetUnixFileMode(f)), Has.All.EqualTo(OwnerOnlyFiles.File));
    }

    [Test]
    public async Task AReportersPhone_IsInNoDatabaseFile_YetWholeInTheTicketsDetail()
    {
        await using var service = Service();
        var (_, phone) = await ReportAsync(service.CreateClient());

        Assert.That(phone, Does.EndWith("5678").And.Not.Contain("*"), "the detail shows the whole number to a manager");
        Assert.That(FilesHolding(phone), Is.Empty);
        Assert.That(FilesHolding(string.Concat(phone.Where(char.IsAsciiDigit))), Is.Empty);
        var stored = await service.Services.GetRequiredService<Database>().ReadAsync(c => c.QuerySingleAsync<string>("SELECT reporter_phone FROM tickets"));
        Assert.That(stored, Does.StartWith("v1:"));
    }

    [Test]
    public async Task PhonesStoredBeforeEncryption_AreEncryptedAtStart_AndLeaveNoTraceInTheFiles()
    {
        string id;
        string phone;
        await using (var before = Service())
        {
            (id, phone) = await ReportAsync(before.CreateClient());
            // A row as an earlier version stored it: the number itself.
            await before.Services.GetRequiredService<Database>().WriteAsync(t => t.ExecuteAsync("UPDATE tickets SET reporter_phone = @Phone", new { Phone = phone }));
            Assert.That(FilesHolding(phone), Is.Not.Empty, "the search finds a number stored as it is");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var after = Service();
        var detail = await after.CreateClient().GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");

        Assert.That(detail.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo(phone));
        Assert.That(FilesHolding(phone), Is.Empty);
        var stored = await after.Services.GetRequiredService<Database>().ReadAsync(c => c.QuerySingleAsync<string>("SELECT reporter_phone FROM tickets"));
        Assert.That(stored, Does.StartWith("v1:"));
    }

    [Test]
    public async Task PhonesStoredBeforeEncryption_AreEncryptedAtStart_OnPostgres()
    {
        var (name, connectionString) = await PostgresServer.CreateDatabaseAsync();
        try
        {
            ServiceFactory<Program> OnPostgres()
            {
                var service = Service();
                service.Settings["ConnectionStrings:Postgres"] = connectionString;
                return service;
            }

            string id;
            string phone;
            await using (var before = OnPostgres())
            {
                (id, phone) = await ReportAsync(before.CreateClient());
                await before.Services.GetRequiredService<Database>().WriteAsync(t => t.ExecuteAsync("UPDATE tickets SET reporter_phone = @Phone", new { Phone = phone }));
            }

            await using var after = OnPostgres();
            var detail = await after.CreateClient().GetFromJsonAsync<JsonElement>($"/api/tickets/{id}");

            Assert.That(detail.GetProperty("reporter").GetProperty("phone").GetString(), Is.EqualTo(phone));
            var database = after.Services.GetRequiredService<Database>();
            Assert.That(database.Provider, Is.EqualTo(SqlProvider.Postgres));
            Assert.That(await database.ReadAsync(c => c.QuerySingleAsync<string>("SELECT reporter_phone FROM tickets")), Does.StartWith("v1:"));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(name);
        }
    }

    [Test]
    public void APhoneSealedForOneTicket_DoesNotOpenForAnother_NorWithAnotherKey()
    {
        var cipher = new PhoneCipher(Options.Create(new PersonalDataOptions { Key = TestSecrets.PersonalDataKey }));
        var other = new PhoneCipher(Options.Create(new PersonalDataOptions { Key = Convert.ToBase64String(new byte[32]) }));
        var ticket = Guid.NewGuid();

        var stored = cipher.Encrypt(ticket, "0477-1234567");

        Assert.That(cipher.Decrypt(ticket, stored), Is.EqualTo("0477-1234567"));
        Assert.That(stored, Does.Not.Contain("1234567"));
        Assert.That(cipher.Encrypt(ticket, "0477-1234567"), Is.Not.EqualTo(stored), "a fresh nonce each time");
        Assert.That(() => cipher.Decrypt(Guid.NewGuid(), stored), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
        Assert.That(() => other.Decrypt(ticket, stored), Throws.InstanceOf<System.Security.Cryptography.CryptographicException>());
    }
}
