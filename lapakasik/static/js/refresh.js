// Parts of a page that change on their own (the queue ticket's wait) are fetched again every N seconds
// and swapped in place: no whole-page reload, which would move the reader's place and focus. Without
// scripts a <noscript> meta refresh reloads the page instead.
document.querySelectorAll("[data-refresh]").forEach(function (part) {
  var seconds = parseInt(part.dataset.refresh, 10) || 30;
  setInterval(function () {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var fresh = html && new DOMParser().parseFromString(html, "text/html").getElementById(part.id);
        if (fresh) part.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* the next round tries again */ });
  }, seconds * 1000);
});
