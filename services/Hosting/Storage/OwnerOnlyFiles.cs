namespace Ops.Hosting.Storage;

/// <summary>
/// A SQLite database holds personal data: its folder is the owner's only (0700), its file too (0600). SQLite
/// gives its <c>-wal</c>, <c>-shm</c> and journal files the permissions of the database file, so these follow.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder and the empty database file owner-only before SQLite first opens it, and tightens those that exist.</summary>
    public static void PrepareDatabase(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (Directory.Exists(folder))
        {
            System.IO.File.SetUnixFileMode(folder, Folder);
        }
        else
        {
            Directory.CreateDirectory(folder, Folder);
        }

        if (!System.IO.File.Exists(path))
        {
            try
            {
                using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = File });
            }
            catch (IOException) when (System.IO.File.Exists(path))
            {
                // Another process starting on the same store created it first: its mode is set below all the same.
            }
        }

        foreach (var file in new[] { path, $"{path}-wal", $"{path}-shm", $"{path}-journal" }.Where(System.IO.File.Exists))
        {
            System.IO.File.SetUnixFileMode(file, File);
        }
    }
}
