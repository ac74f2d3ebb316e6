// Forms marked data-once send one request even when double-clicked; the server also
// counts each action once, so this only spares the trainee a confusing second response.
document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
        form.querySelectorAll("button").forEach(function (button) {
            button.disabled = true;
        });
    });
});
