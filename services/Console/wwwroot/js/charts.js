// Draws the charts of a page with Apache ECharts (served by the console: lib/echarts): every element with data-chart,
// whose JSON holds the months, the series and a Chinese description for screen readers (the aria option).
// Drawn when the module first loads and again after each enhanced navigation (Back to the page brings its markup
// back without a reload, and without the module running again); charts whose element has gone are disposed.

const colours = { response: "#1f6feb", repair: "#1a7f37", target: "#cf222e" };
let charts = [];

function draw(element) {
    const data = JSON.parse(element.dataset.chart);
    window.echarts.getInstanceByDom?.(element)?.dispose();
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
        aria: { enabled: true, label: { enabled: true, description: data.description } },
        animation: false,
        grid: { left: 48, right: 16, top: 16, bottom: 32 },
        xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: data.series.map((s) => ({
            name: s.name,
            type: "line",
            data: s.data,
            connectNulls: false,
            symbol: s.kind === "target" ? "none" : "circle",
            lineStyle: { color: colours[s.kind], type: s.kind === "target" ? "dashed" : "solid", width: 2 },
            itemStyle: { color: colours[s.kind] },
        })),
    });
    element.dataset.drawn = "true";
    return { element, chart };
}

function drawAll() {
    if (!window.echarts) {
        return;
    }
    // A chart whose element left the page, or whose canvas the page update removed, is disposed (and drawn again if still there).
    charts = charts.filter(({ element, chart }) => {
        const kept = document.contains(element) && element.dataset.drawn && element.querySelector("canvas");
        if (!kept) {
            chart.dispose();
        }
        return kept;
    });
    const drawn = new Set(charts.map((c) => c.element));
    charts.push(...[...document.querySelectorAll("[data-chart]")].filter((e) => !drawn.has(e)).map(draw));
}

drawAll();
window.Blazor?.addEventListener("enhancedload", drawAll);
window.addEventListener("resize", () => charts.forEach((c) => c.chart.resize()));
