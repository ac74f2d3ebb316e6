// Runs on the content origin inside a sandboxed iframe. Starts h5p-standalone, listens to
// its xAPI statements (attached before H5P.init so "attempted" is not missed) and relays
// each to the platform page, to that exact origin only.
(function () {
    var el = document.getElementById("h5p-container");
    var parentOrigin = el.dataset.parentOrigin;
    new H5PStandalone.H5P(el, {
        h5pJsonPath: el.dataset.h5pJson,
        frameJs: el.dataset.frameJs,
        frameCss: el.dataset.frameCss,
        embedType: "div",
        preventH5PInit: false, // in h5p-standalone 3.8, false is what holds init back
        xAPIObjectIRI: el.dataset.activityIri,
        id: "pcmd",
    }).then(function () {
        H5P.externalDispatcher.on("xAPI", function (event) {
            window.parent.postMessage(
                { type: "pcmd-h5p-xapi", statement: event.data.statement }, parentOrigin
            );
        });
        H5P.init(el);
        window.parent.postMessage({ type: "pcmd-h5p-ready" }, parentOrigin);
    });
})();
