// The waiting-room screen: a clock in the branch's time zone, the board refreshed every 10 s without a
// page reload, and an optional chime for a new call. Browsers forbid sound that nobody asked for, so the
// chime only plays after someone taps the button (that tap creates the AudioContext).
(function () {
  "use strict";
  var clock = document.querySelector("[data-clock]");
  var button = document.querySelector("[data-sound]");
  var audio = null;

  function tick() {
    if (!clock) return;
    var text = new Intl.DateTimeFormat("id-ID", {
      hour: "2-digit", minute: "2-digit", timeZone: clock.dataset.timeZone, hourCycle: "h23"
    }).format(new Date()).replace(":", ".");
    clock.textContent = text + " " + clock.dataset.zone;
  }

  function latest(root) {
    var first = root.querySelector(".called .latest .called-number");
    return first ? first.textContent.trim() : "";
  }

  function chime() {
    if (!audio) return;
    [0, 0.35].forEach(function (offset, i) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = i ? 659 : 880;
      gain.gain.setValueAtTime(0.25, audio.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + offset + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + offset);
      osc.stop(audio.currentTime + offset + 0.3);
    });
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board");
        var board = document.getElementById("board");
        if (!fresh || !board) return;
        var before = latest(board), after = latest(fresh);
        board.innerHTML = fresh.innerHTML;
        if (after && after !== before) chime();
      })
      .catch(function () { /* the next round tries again */ });
  }

  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (audio) { audio.close(); audio = null; } else { audio = new (window.AudioContext || window.webkitAudioContext)(); chime(); }
      button.setAttribute("aria-pressed", audio ? "true" : "false");
      button.textContent = audio ? button.dataset.on : button.dataset.off;
    });
  }
  tick();
  setInterval(tick, 1000);
  setInterval(refresh, 10000);
})();
