// Receives xAPI statements from H5P players (content origin, sandboxed iframes) and posts
// them to the platform. Messages are accepted only from the expected origin and from the
// iframe of the activity they claim to belong to.
(function () {
    const sections = document.querySelectorAll("[data-h5p-activity]");
    if (!sections.length) return;
    const csrf = document.querySelector("meta[name=csrf-token]").content;
    window.addEventListener("message", function (event) {
        sections.forEach(function (section) {
            const frame = section.querySelector("iframe");
            if (!frame || event.source !== frame.contentWindow) return;
            if (event.origin !== section.dataset.h5pOrigin) return;
            const data = event.data || {};
            if (data.type === "pcmd-h5p-resize" && Number.isFinite(data.height)) {
                // Bounded: a frame cannot grow the page without limit.
                frame.style.height = Math.min(Math.max(data.height, 200), 4000) + "px";
                return;
            }
            if (data.type !== "pcmd-h5p-xapi" || typeof data.statement !== "object") return;
            fetch(section.dataset.xapiUrl, {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
                body: JSON.stringify({ statement: data.statement }),
            })
                .then(function (response) { return response.json(); })
                .then(function (result) {
                    const status = section.querySelector("[data-h5p-status]");
                    if (status && result.passed) status.textContent = status.dataset.passedText || "✓";
                    if (result.lesson_completed) window.location.reload();
                });
        });
    });
})();
