// Draws the charts of a page with Apache ECharts (served by the console: lib/echarts): every element with data-chart,
// whose JSON holds the months, the series and a Chinese description for screen readers (the aria option).

const colours = { response: "#1f6feb", repair: "#1a7f37", target: "#cf222e" };

function draw(element) {
    const data = JSON.parse(element.dataset.chart);
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
    return chart;
}

const charts = [...document.querySelectorAll("[data-chart]")].filter((e) => !e.dataset.drawn).map(draw);
window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
