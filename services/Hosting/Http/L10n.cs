using System.Globalization;

namespace Ops.Hosting.Http;

/// <summary>
/// A message in the caller's language: Chinese, or English when the request asks for it (<c>Accept-Language: en</c>).
/// Two languages only, so each message stays beside its check as a pair, not in resource files.
/// </summary>
/// <remarks>
/// Request localization (<see cref="ServiceDefaults"/>) makes every request Chinese unless it asks for English;
/// outside a request (an admin command, the log) the process's own language decides, English unless it is Chinese.
/// </remarks>
public static class L10n
{
    /// <summary>The languages a request may ask for; the first is the default.</summary>
    public static readonly string[] Languages = ["zh-CN", "en"];

    public static bool IsChinese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh";

    /// <summary><paramref name="zh"/>, or <paramref name="en"/> for a caller who does not read Chinese.</summary>
    public static string Of(string zh, string en) => IsChinese ? zh : en;

    /// <summary>Codes or names joined as each language writes a list: "a、b、c" or "a, b, c".</summary>
    public static string List<T>(IEnumerable<T> items) => string.Join(IsChinese ? "、" : ", ", items);
}
