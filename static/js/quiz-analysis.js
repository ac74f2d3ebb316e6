// Score distribution chart for trainers (the same numbers are in the table beside it).
(function () {
    const source = document.getElementById("score-chart-data");
    const canvas = document.getElementById("score-chart");
    if (!source || !canvas || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: data.title, data: data.counts, backgroundColor: "#0b3d6b" }] },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    });
})();
