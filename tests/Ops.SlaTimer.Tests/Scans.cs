using Microsoft.Extensions.DependencyInjection;
using Ops.SlaTimer.Scanning;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The positive signal a test waits for before asserting that the scanner did nothing more.</summary>
internal static class Scans
{
    /// <summary>
    /// Waits until a pass of the scanner has looked at the service's present (fake) time, so whatever it was to
    /// breach or warn by then is stored. The scanner is woken, since a fake clock moved by less than the scanner's
    /// idle limit may not reach the end of its sleep.
    /// </summary>
    public static Task ScannedUpToNowAsync(this ServiceFactory<Program> service)
    {
        var scanner = service.Services.GetRequiredService<ClockScanner>();
        var now = service.Time.GetUtcNow();
        return Eventually.HoldsAsync(() =>
        {
            var scanned = scanner.ScannedUpTo >= now;
            if (!scanned)
            {
                scanner.Wake();
            }

            return Task.FromResult(scanned);
        });
    }
}
