namespace Ops.Testing;

/// <summary>Folders the tests write to.</summary>
public static class TestFolder
{
    /// <summary>
    /// A new folder under the temporary folder, the current user's alone (0700), so no folder another user
    /// left there (root's, say) is in the way.
    /// </summary>
    public static string Create() => Directory.CreateTempSubdirectory("ops-tests-").FullName;
}
