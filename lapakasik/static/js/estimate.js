// The estimator (issue 14), progressive enhancement only: the page works without this file.
// 1. After a refused answer, move focus to the error summary so a phone scrolls to it and a screen
//    reader reads it (GOV.UK's error summary pattern); its links then move to each field.
// 2. "Tambah baris" in the JP wage table adds a blank row here instead of posting the form.
// A static file: the Content Security Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
    var add = document.querySelector("[data-add-wage-row]");
    var rows = document.querySelector("[data-wage-rows]");
    var total = document.querySelector("input[name$='-TOTAL_FORMS']");
    var max = document.querySelector("input[name$='-MAX_NUM_FORMS']");
    if (!add || !rows || !total) {
      return;
    }
    add.addEventListener("click", function (event) {
      var count = parseInt(total.value, 10);
      if (max && count >= parseInt(max.value, 10)) {
        return; // let the server say the table is full
      }
      event.preventDefault();
      var last = rows.querySelector("[data-wage-row]:last-of-type");
      var row = last.cloneNode(true);
      row.querySelectorAll(".error").forEach(function (error) { error.remove(); });
      row.querySelectorAll("input").forEach(function (input) {
        input.name = input.name.replace(/-\d+-/, "-" + count + "-");
        input.id = input.id.replace(/-\d+-/, "-" + count + "-");
        input.value = "";
        input.removeAttribute("aria-invalid");
      });
      row.querySelectorAll("label").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/-\d+-/, "-" + count + "-");
        label.textContent = label.textContent.replace(/\d+\s*$/, String(count + 1));
      });
      rows.appendChild(row);
      total.value = String(count + 1);
      row.querySelector("input").focus();
    });
  });
})();
