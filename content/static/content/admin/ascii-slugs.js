// ASCII slugs from Vietnamese titles in the admin: "Kỹ năng" → "ky-nang", "đ" → "d".
// Wagtail's slug controller (w-slug) applies these formatters before it makes the slug; its
// own transliteration has no Vietnamese table and would turn "Kỹ năng" into "k-nng".
(function () {
    "use strict";
    var FORMATTERS = JSON.stringify([
        [["[àáạảãâầấậẩẫăằắặẳẵ]", "giu"], "a"],
        [["[èéẹẻẽêềếệểễ]", "giu"], "e"],
        [["[ìíịỉĩ]", "giu"], "i"],
        [["[òóọỏõôồốộổỗơờớợởỡ]", "giu"], "o"],
        [["[ùúụủũưừứựửữ]", "giu"], "u"],
        [["[ỳýỵỷỹ]", "giu"], "y"],
        [["[đ]", "giu"], "d"],
        // Decomposed input (a letter followed by combining marks).
        [["[\u0300-\u036f]", "gu"], ""],
    ]);

    function apply(root) {
        var inputs = root.querySelectorAll
            ? root.querySelectorAll('input[data-controller~="w-slug"]')
            : [];
        Array.prototype.forEach.call(inputs, function (input) {
            var current = input.getAttribute("data-w-slug-formatters-value");
            if (!current || current === "[]") {
                input.setAttribute("data-w-slug-formatters-value", FORMATTERS);
            }
        });
    }

    function start() {
        apply(document);
        // Forms added later (the create view's hydration, modals) get them too.
        new MutationObserver(function (records) {
            records.forEach(function (record) {
                Array.prototype.forEach.call(record.addedNodes, function (node) {
                    if (node.nodeType === 1) {
                        apply(node);
                    }
                });
            });
        }).observe(document.body, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
