namespace Ops.Testing;

/// <summary>The checkout the tests run from (the folder with <c>ops.sln</c>).</summary>
public static class TestRepository
{
    public static string Root { get; } = Find();

    /// <summary>The build configuration the tests run from (bin/&lt;configuration&gt;/net10.0), the services' build beside them.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ops.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
