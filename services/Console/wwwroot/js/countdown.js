// Ticks every countdown on the page once a second: <span class="countdown" data-deadline="ISO time">.
// One timer for the whole page, so pages that enhanced navigation brings in tick too, without a script of their own.

const pad = (n) => String(n).padStart(2, "0");

export function describe(deadline, now) {
    const left = Math.round((deadline - now) / 1000);
    const seconds = Math.abs(left);
    const days = Math.floor(seconds / 86400);
    const clock = `${pad(Math.floor((seconds % 86400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
    const text = days > 0 ? `${days} 天 ${clock}` : clock;
    return left >= 0 ? `剩余 ${text}` : `已超时 ${text}`;
}

function tick() {
    const now = Date.now();
    for (const element of document.querySelectorAll(".countdown[data-deadline]")) {
        const deadline = Date.parse(element.dataset.deadline);
        if (Number.isNaN(deadline)) continue;
        element.textContent = describe(deadline, now);
        const card = element.closest("[data-started]");
        if (card) {
            const started = Date.parse(card.dataset.started);
            const share = (now - started) / (deadline - started);
            card.classList.toggle("breached", now > deadline);
            card.classList.toggle("late", now <= deadline && share >= 0.8);
            card.classList.toggle("half", share >= 0.5 && share < 0.8);
        }
    }
}

tick();
setInterval(tick, 1000);
