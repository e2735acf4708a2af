namespace Ops.Console.Services;

/// <summary>Where to go after sign-in: only a path of the console itself, so a link cannot send a person elsewhere.</summary>
public static class LocalUrl
{
    public static string OrHome(string? url) =>
        url is ['/', not '/' and not '\\', ..] or "/" && Uri.IsWellFormedUriString(url, UriKind.Relative) ? url : "/";
}
