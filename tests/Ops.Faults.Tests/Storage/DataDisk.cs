using System.Diagnostics;

namespace Ops.Faults.Tests.Storage;

/// <summary>
/// A service's data directory on a size-limited tmpfs of its own, which the test fills with a ballast file until the
/// kernel refuses one more byte, and frees by deleting it. Mounting needs root; where it is refused,
/// <see cref="Refusal"/> says why and the directory is a plain one.
/// </summary>
internal sealed class DataDisk
{
    private const int SizeMegabytes = 48;

    private DataDisk(string directory, string? refusal)
    {
        Directory = directory;
        Refusal = refusal;
    }

    public string Directory { get; }

    /// <summary>Why no tmpfs could be mounted here, or null when it is one.</summary>
    public string? Refusal { get; }

    private string Ballast => Path.Combine(Directory, "ballast");

    public static async Task<DataDisk> MountAsync(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var (exitCode, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={SizeMegabytes}m,mode=0700", "tmpfs", directory);
        return new DataDisk(directory, exitCode == 0 ? null : $"mount -t tmpfs failed ({exitCode}): {output.Trim()}");
    }

    /// <summary>Writes the ballast until the disk is full: the kernel's refusal (ENOSPC) is the signal.</summary>
    public void Fill()
    {
        using var ballast = new FileStream(Ballast, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[64 * 1024];
        foreach (var size in new[] { chunk.Length, 4096, 512, 1 })
        {
            try
            {
                while (true)
                {
                    ballast.Write(chunk, 0, size);
                }
            }
            catch (IOException)
            {
                // full at this size: go on with smaller writes, to the last byte
            }
        }

        Assert.That(new DriveInfo(Directory).AvailableFreeSpace, Is.LessThan(4096), "the disk is full");
    }

    public void Free() => File.Delete(Ballast);

    public async Task UnmountAsync()
    {
        if (Refusal is null)
        {
            // Lazily: a service killed a moment ago may not have let go of its files yet.
            await RunAsync("umount", "-l", Directory);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
