// The page create form carries a random token, so the server can tell that a publish and
// the autosave before it come from the same form (content/authoring.py).
(function () {
    "use strict";
    function addToken() {
        var form = document.getElementById("page-edit-form");
        if (!form || !/\/pages\/add\//.test(form.getAttribute("action") || "")) {
            return;
        }
        if (form.querySelector('input[name="pcmd_create_token"]')) {
            return;
        }
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "pcmd_create_token";
        input.value = window.crypto.randomUUID();
        form.appendChild(input);
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", addToken);
    } else {
        addToken();
    }
})();
