// Runs on the content origin inside a sandboxed iframe. Starts h5p-standalone with the
// content's own files and the libraries of the shared store, listens to its xAPI statements
// (attached before H5P.init so "attempted" is not missed) and relays each to the platform
// page, to that exact origin only. The learner's saved state comes preloaded and is saved
// back to the content origin (signed link, no cookies) every few seconds.
(function () {
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
    });
})();
