// The trainer's check-in screen: a new QR code every 30-second window, fetched from the
// server (which signs it). Over a weak connection a failed fetch is retried every few
// seconds and the screen says the code cannot change until the connection is back.
(function () {
    "use strict";
    var screen = document.querySelector("[data-checkin-code-url]");
    if (!screen) {
        return;
    }
    var url = screen.getAttribute("data-checkin-code-url");
    var qr = screen.querySelector("[data-checkin-qr]");
    var seconds = screen.querySelector("[data-checkin-seconds]");
    var attended = screen.querySelector("[data-checkin-attended]");
    var offline = screen.querySelector("[data-checkin-offline]");
    var left = parseInt(seconds.textContent, 10) || 30;
    var timer = null;

    function schedule(delaySeconds) {
        window.clearTimeout(timer);
        timer = window.setTimeout(refresh, Math.max(delaySeconds, 1) * 1000);
    }

    function refresh() {
        var controller = "AbortController" in window ? new AbortController() : null;
        var abort = controller ? window.setTimeout(function () { controller.abort(); }, 8000) : null;
        fetch(url, {credentials: "same-origin", cache: "no-store", signal: controller ? controller.signal : undefined})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(String(response.status));
                }
                return response.json();
            })
            .then(function (code) {
                // Parsed as HTML, as the page's own markup is, so the element lands in the SVG
                // namespace (segno's inline SVG has no xmlns); DOMParser runs no script.
                var parsed = new DOMParser().parseFromString(code.svg, "text/html");
                var svg = parsed.body.firstElementChild;
                if (svg && svg.namespaceURI === "http://www.w3.org/2000/svg") {
                    qr.replaceChildren(document.importNode(svg, true));
                }
                qr.setAttribute("data-checkin-url", code.url);
                attended.textContent = code.attended;
                left = code.seconds_left;
                offline.hidden = true;
                schedule(left);
            })
            .catch(function () {
                offline.hidden = false;
                schedule(5);
            })
            .finally(function () {
                if (abort) {
                    window.clearTimeout(abort);
                }
            });
    }

    window.setInterval(function () {
        left = Math.max(left - 1, 0);
        seconds.textContent = left;
    }, 1000);
    schedule(left);
})();
