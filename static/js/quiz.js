// Autosave: the attempt form is posted to the save endpoint shortly after each change, so
// a trainee who loses the connection resumes with their answers. The server is the only
// judge of time and grading; the countdown here is a courtesy.
(function () {
    const form = document.getElementById("attempt-form");
    if (!form) return;
    const status = document.getElementById("autosave-status");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    let timer = null;

    function say(text) { if (status) status.textContent = text; }

    function save() {
        const body = new FormData(form);
        return fetch(form.dataset.saveUrl, {
            method: "POST", body: body, credentials: "same-origin",
            headers: { "X-CSRFToken": csrf },
        }).then(function (response) {
            return response.json().then(function (data) {
                if (data.saved) say(form.dataset.savedText.replace("%s", data.saved_at));
                else if (data.closed) { say(data.message); window.location.reload(); }
                else say(form.dataset.errorText);
            });
        }).catch(function () { say(form.dataset.offlineText); });
    }

    form.addEventListener("change", function () {
        clearTimeout(timer);
        timer = setTimeout(save, 600);
    });
    form.addEventListener("input", function (event) {
        if (event.target.type !== "text") return;
        clearTimeout(timer);
        timer = setTimeout(save, 1200);
    });

    const remaining = document.querySelector("[data-remaining]");
    if (remaining) {
        let seconds = parseInt(remaining.dataset.remaining, 10);
        const tick = function () {
            const m = Math.floor(seconds / 60), s = seconds % 60;
            remaining.textContent = m + ":" + String(s).padStart(2, "0");
            if (seconds <= 0) { form.submit(); return; }
            seconds -= 1;
            setTimeout(tick, 1000);
        };
        tick();
    }
})();
