// Irreversible steps ask first. A submit button (or its form) carrying data-confirm="question" opens the
// page's <dialog id="confirm-dialog"> instead of submitting; "Ya" submits the form with that same button,
// "Batal" or Escape leaves everything as it was. It listens to the form's submit event, so a click and
// the Enter key (which submits with the form's first button) both stop here. A static file: the Content
// Security Policy allows no inline script.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return; // no <dialog>: the form submits as before and the server's own checks still apply
  }
  var message = dialog.querySelector("[data-confirm-message]");
  var yes = dialog.querySelector("[data-confirm-yes]");
  var pending = null;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || null;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!question || form.getAttribute("data-confirmed") === "yes") {
      return;
    }
    event.preventDefault();
    pending = { form: form, button: button };
    message.textContent = question;
    var label = button && button.getAttribute("data-confirm-yes");
    yes.textContent = label || yes.getAttribute("data-default");
    yes.className = button && button.classList.contains("danger") ? "danger" : "positive";
    dialog.returnValue = "";
    dialog.showModal();
  });

  dialog.addEventListener("close", function () {
    var chosen = pending;
    pending = null;
    if (!chosen || dialog.returnValue !== "yes") {
      return;
    }
    chosen.form.setAttribute("data-confirmed", "yes");
    if (chosen.button) {
      chosen.form.requestSubmit(chosen.button);
    } else {
      chosen.form.requestSubmit();
    }
    chosen.form.removeAttribute("data-confirmed");
  });
})();
