using Microsoft.Extensions.DependencyInjection;
using Ops.SlaTimer.Scanning;
using Ops.Testing;

namespace Ops.SlaTimer.Tests;

/// <summary>The positive signal a test waits for before asserting that the scanner did nothing more.</summary>
internal static class Scans
{
    /// <summary>
    /// Waits until a pass of the scanner has looked at the service's present (fake) time, so whatever it was to
    /// breach or warn by then is stored. The scanner is woken, since the fake clock may have moved while it was
    /// setting its sleep, and that sleep would then never end.
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
