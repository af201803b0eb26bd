// The "print" button works only with scripts; without them the hint to use the browser's menu stays.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  document.querySelectorAll("[data-print-hint]").forEach(function (hint) { hint.hidden = true; });
  button.addEventListener("click", function () { window.print(); });
});
