// Runs on the content origin inside a sandboxed iframe. Starts h5p-standalone with the
// content's own files and the libraries of the shared store, listens to its xAPI statements
// (attached before H5P.init so "attempted" is not missed) and relays each to the platform
// page, to that exact origin only. The learner's saved state comes preloaded and is saved
// back to the content origin (signed link, no cookies) every few seconds.
(function () {
    // Browsers may deny storage to a framed document (third-party storage rules, privacy
    // settings); H5P core then throws during init and stops saving state. It gets a
    // memory-only store instead: what matters is saved on the server anyway.
    try {
        window.localStorage.getItem("pcmd");
    } catch (denied) {
        var memory = {};
        var store = {
            getItem: function (key) { return key in memory ? memory[key] : null; },
            setItem: function (key, value) { memory[key] = String(value); },
            removeItem: function (key) { delete memory[key]; },
            clear: function () { memory = {}; },
            key: function (i) { return Object.keys(memory)[i] || null; },
            get length() { return Object.keys(memory).length; },
        };
        Object.defineProperty(window, "localStorage", { configurable: true, get: function () { return store; } });
    }
    var el = document.getElementById("h5p-container");
    var parentOrigin = el.dataset.parentOrigin;
    var options = {
        h5pJsonPath: el.dataset.h5pJson,
        contentJsonPath: el.dataset.contentJson,
        librariesPath: el.dataset.libraries,
        frameJs: el.dataset.frameJs,
        frameCss: el.dataset.frameCss,
        embedType: "div",
        preventH5PInit: false, // in h5p-standalone 3.8, false is what holds init back
        xAPIObjectIRI: el.dataset.activityIri,
        id: "pcmd",
        // Results are recorded: content types show their "submit" steps (Interactive Book).
        reportingIsEnabled: true,
    };
    if (el.dataset.userDataUrl) {
        options.user = { name: "learner", mail: "learner@invalid" };
        options.ajax = { contentUserDataUrl: el.dataset.userDataUrl };
        options.saveFreq = parseInt(el.dataset.saveFrequency, 10) || false;
        var saved = JSON.parse(el.dataset.savedState || "[]");
        if (saved.length) options.contentUserData = saved;
    }
    new H5PStandalone.H5P(el, options).then(function () {
        H5P.externalDispatcher.on("xAPI", function (event) {
            window.parent.postMessage(
                { type: "pcmd-h5p-xapi", statement: event.data.statement }, parentOrigin
            );
        });
        H5P.init(el);
        window.parent.postMessage({ type: "pcmd-h5p-ready" }, parentOrigin);
        // The lesson page sizes the frame to the content, so nothing hides below its fold.
        var lastHeight = 0;
        new ResizeObserver(function () {
            var height = Math.ceil(document.documentElement.scrollHeight);
            if (Math.abs(height - lastHeight) < 2) return;
            lastHeight = height;
            window.parent.postMessage({ type: "pcmd-h5p-resize", height: height }, parentOrigin);
        }).observe(document.body);
    });
})();
