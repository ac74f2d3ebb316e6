// Completion by unit on the HR compliance dashboard (the same numbers are in the table).
(function () {
    const source = document.getElementById("hr-completion-data");
    const canvas = document.getElementById("hr-completion-chart");
    if (!source || !canvas || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    new Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: data.title, data: data.values, backgroundColor: "#0b3d6b" }] },
        options: {
            indexAxis: "y",
            scales: { x: { beginAtZero: true, max: 100 } },
            plugins: { legend: { display: false } },
        },
    });
})();
