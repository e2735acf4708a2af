// Keeps a list up to date without a reload: an element marked data-refresh is replaced, every 5 seconds while the tab
// is visible, by the same element of the page as the server renders it now. The same address, so the same filters, with
// the person's own cookie; a session that ended goes to the sign-in page. Loaded on every page and idle where nothing is
// marked, so pages that enhanced navigation brings in refresh too. Hand-written: one fetch and one swap need no library.

const every = 5000;
let busy = false;

async function refresh() {
    const shown = document.querySelector("[data-refresh]");
    if (!shown || busy || document.hidden) return;
    busy = true;
    const address = location.href;
    try {
        const response = await fetch(address, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } });
        if (new URL(response.url).pathname === "/login") {
            location.assign(response.url); // the sign-in page, which brings the person back to this view
            return;
        }

        if (!response.ok) return; // keep what is shown; the next round tries again
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html").querySelector("[data-refresh]");
        if (fresh && shown.isConnected && location.href === address) {
            shown.replaceWith(document.importNode(fresh, true));
        }
    } catch {
        // The console did not answer this time: the next round tries again.
    } finally {
        busy = false;
    }
}

setInterval(refresh, every);
document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
