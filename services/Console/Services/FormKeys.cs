using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace Ops.Console.Services;

/// <summary>
/// One-time keys of the forms that must not act twice (a deduction, a waiver, a new API key): each rendering of the form
/// carries a new key, and a second post of the same key (a double click, a refresh of the answer) gets the first post's
/// outcome instead of acting again. Kept in this console's memory for an hour, per person and form: a second console
/// instance, or a restart, does not know the keys used before.
/// </summary>
public sealed class FormKeys(IMemoryCache cache)
{
    /// <summary>The hidden field the forms post their key in.</summary>
    public const string Field = "FormKey";

    /// <summary>How long a used key is remembered.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromHours(1);

    private readonly Lock gate = new();

    /// <summary>A new key for a form being rendered.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Runs <paramref name="action"/> the first time the person posts <paramref name="key"/> on <paramref name="form"/>; a later
    /// (or concurrent) post of the same key waits for and gets the first outcome, <c>Replayed</c> true. A form posted
    /// without a key acts every time.
    /// </summary>
    public async Task<(T Outcome, bool Replayed)> OnceAsync<T>(ClaimsPrincipal person, string form, string? key, Func<Task<T>> action)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return (await action(), false);
        }

        var entry = (typeof(FormKeys), person.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", form, key.Trim());
        TaskCompletionSource<T>? first = null;
        Task<T>? earlier;
        lock (gate)
        {
            if (!cache.TryGetValue(entry, out earlier) || earlier is null)
            {
                first = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                cache.Set(entry, first.Task, Kept);
            }
        }

        if (first is null)
        {
            return (await earlier!, true);
        }

        try
        {
            var outcome = await action();
            first.SetResult(outcome);
            return (outcome, false);
        }
        catch (Exception failure)
        {
            // Nothing known to be stored: the key may be posted again.
            cache.Remove(entry);
            first.SetException(failure);
            _ = first.Task.Exception;
            throw;
        }
    }
}
