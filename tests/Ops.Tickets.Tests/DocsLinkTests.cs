using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>The README and <c>docs/</c> link to files and headings that exist; so do the code's pointers into <c>docs/</c>.</summary>
public partial class DocsLinkTests
{
    [Test]
    public void EveryRelativeLink_InTheReadmeAndTheDocs_LeadsToAFileAndHeadingThatExist()
    {
        var root = RepositoryRoot();
        var pages = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            .ToList();

        var links = pages.SelectMany(page => DocsLinks.RelativeLinks(File.ReadAllText(page)).Select(link => (page, link))).ToList();
        var broken = links.Where(l => DocsLinks.Problem(l.page, l.link) is not null)
            .Select(l => $"{Path.GetRelativePath(root, l.page)}: ({l.link}) {DocsLinks.Problem(l.page, l.link)}");

        Assert.Multiple(() =>
        {
            Assert.That(links, Has.Count.GreaterThan(20), "the README and the docs link to each other");
            Assert.That(broken, Is.Empty);
        });
    }

    [Test]
    public void EveryPointerIntoTheDocs_FromTheCode_LeadsToAHeadingThatExists()
    {
        var root = RepositoryRoot();
        var sources = new[] { "services", "deploy", "contracts" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sh", StringComparison.Ordinal)))
            .Append(Path.Combine(root, "Directory.Build.props"));

        var pointers = sources.SelectMany(f => DocsPointer().Matches(File.ReadAllText(f)).Select(m => (file: f, link: m.Value))).ToList();
        var broken = pointers.Where(p => DocsLinks.Problem(Path.Combine(root, "README.md"), p.link) is not null)
            .Select(p => $"{Path.GetRelativePath(root, p.file)}: {p.link} {DocsLinks.Problem(Path.Combine(root, "README.md"), p.link)}");

        Assert.Multiple(() =>
        {
            Assert.That(pointers, Is.Not.Empty, "comments point into docs/ for the reasons they leave out");
            Assert.That(broken, Is.Empty);
        });
    }

    [Test]
    public void TheCheck_FindsAMissingFile_AndAMissingHeading()
    {
        var folder = TestFolder.Create();
        try
        {
            File.WriteAllText(Path.Combine(folder, "rules.md"), "# Rules\n\n## The calendar's days\n\n## Clocks\n\n## Clocks\n");
            var page = Path.Combine(folder, "README.md");
            File.WriteAllText(page, """
                See [rules](rules.md), [the calendar](rules.md#the-calendars-days), [the second](rules.md#clocks-1),
                [gone](gone.md), [no such heading](rules.md#holidays), [a site](https://example.com/x.md) and `[code](nowhere.md)`.

                ```
                [in a block](nowhere.md)
                ```
                """);

            var problems = DocsLinks.RelativeLinks(File.ReadAllText(page)).ToDictionary(l => l, l => DocsLinks.Problem(page, l));

            Assert.That(problems, Is.EqualTo(new Dictionary<string, string?>
            {
                ["rules.md"] = null,
                ["rules.md#the-calendars-days"] = null,
                ["rules.md#clocks-1"] = null,
                ["gone.md"] = "no such file",
                ["rules.md#holidays"] = "no such heading",
            }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ops.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No ops.sln above the test directory.");
    }

    [GeneratedRegex(@"docs/[a-z0-9-]+\.md(#[a-z0-9_-]+)?")]
    private static partial Regex DocsPointer();
}

/// <summary>Relative links of a Markdown page, and whether each leads somewhere (GitHub's heading anchors).</summary>
internal static partial class DocsLinks
{
    /// <summary>The targets of inline links outside code, that are neither absolute URLs nor mail addresses.</summary>
    public static IEnumerable<string> RelativeLinks(string markdown)
    {
        var prose = InlineCode().Replace(FencedCode().Replace(markdown, ""), "");
        return Link().Matches(prose)
            .Select(m => m.Groups[1].Value)
            .Where(target => !Scheme().IsMatch(target));
    }

    /// <summary>Why <paramref name="link"/> on <paramref name="page"/> leads nowhere, or null.</summary>
    public static string? Problem(string page, string link)
    {
        var hash = link.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? link : link[..hash];
        var anchor = hash < 0 ? null : link[(hash + 1)..];
        var target = path.Length == 0 ? page : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
        if (!File.Exists(target) && !Directory.Exists(target))
        {
            return "no such file";
        }

        return anchor is null || !target.EndsWith(".md", StringComparison.Ordinal) || Anchors(File.ReadAllText(target)).Contains(anchor)
            ? null
            : "no such heading";
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered.</summary>
    public static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(FencedCode().Replace(markdown, "")))
        {
            var slug = new StringBuilder();
            foreach (var c in heading.Groups[1].Value.Trim().ToLowerInvariant())
            {
                var category = char.GetUnicodeCategory(c);
                if (char.IsLetterOrDigit(c) || c is '-' or '_' || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    [GeneratedRegex(@"^```.*?^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^#{1,6}[ \t]+(.+?)[ \t#]*$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
